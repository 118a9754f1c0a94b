/* SPDX-License-Identifier: GPL-2.0 */
/*
 * max_threads.h - BENCH_MAX_THREADS, read once by every benchmark binary: a number of
 * threads in 1..1024, or unset (the host's CPUs). Anything else is an error that names
 * it, never a silent 1.
 */
#ifndef BENCH_MAX_THREADS_H
#define BENCH_MAX_THREADS_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* The thread limit, or -1 after a message on stderr naming the bad value. */
static inline int bench_max_threads(const char *tool, int host_cpus)
{
	const char *mt = getenv("BENCH_MAX_THREADS");
	char *end;

	if (!mt)
		return host_cpus;
	errno = 0;
	long v = strtol(mt, &end, 10);
	if (!*mt || *end || errno || v < 1 || v > 1024) {
		fprintf(stderr, "%s: BENCH_MAX_THREADS='%s' is not a number of threads in 1..1024\n", tool, mt);
		return -1;
	}
	return (int)v;
}

#endif /* BENCH_MAX_THREADS_H */
