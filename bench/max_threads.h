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
#include <string.h>

#include "bench/gbench.h"

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

/*
 * The thread counts a row runs at: --threads LIST (bench_threads_take), or 1, 2, 4, 8, ...
 * below the limit and the limit itself (the host's CPUs, or the model's if fewer), so a
 * 64-CPU host gets 1, 2, 4, 8, 16, 32, 64 and a 26-CPU one 1, 2, 4, 8, 16, 26 - not a row
 * per integer.
 */
#define BENCH_MAX_COUNTS 64
/* one list for the whole binary, whichever file registers rows (weak: defined once) */
__attribute__((weak)) int bench_thread_list[BENCH_MAX_COUNTS];
__attribute__((weak)) int bench_nr_thread_list;

/* Take --threads LIST (or --threads=LIST) out of argv: 0, or -1 after a message. */
static inline int bench_threads_take(const char *tool, int *argc, char **argv)
{
	int out = 1;

	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i], *val;
		if (strncmp(a, "--threads", 9) || (a[9] && a[9] != '=')) {
			argv[out++] = argv[i];
			continue;
		}
		val = a[9] == '=' ? a + 10 : i + 1 < *argc ? argv[++i] : "";
		char buf[512];
		snprintf(buf, sizeof(buf), "%s", val);
		bench_nr_thread_list = 0;
		for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			char *end;
			errno = 0;
			long v = strtol(tok, &end, 10);
			if (*end || errno || v < 1 || v > 1024 || bench_nr_thread_list >= BENCH_MAX_COUNTS) {
				fprintf(stderr, "%s: --threads: '%s' is not a thread count in 1..1024\n", tool, tok);
				return -1;
			}
			bench_thread_list[bench_nr_thread_list++] = (int)v;
		}
		if (!bench_nr_thread_list) {
			fprintf(stderr, "%s: --threads needs a list of thread counts (e.g. 1,4,26)\n", tool);
			return -1;
		}
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

/*
 * Register b's thread counts, each a multiple of `step`, up to max (a --threads list is
 * taken as given, up to the model's CPUs, `cap`; counts over the host's CPUs are run and
 * labelled oversubscribed by the rows).
 */
static inline gb_benchmark *bench_thread_counts(gb_benchmark *b, int step, int max, int cap)
{
	int any = 0;

	if (bench_nr_thread_list) {
		for (int i = 0; i < bench_nr_thread_list; i++)
			if (bench_thread_list[i] <= cap && bench_thread_list[i] % step == 0)
				gb_threads(b, bench_thread_list[i]), any = 1;
		return any ? b : gb_threads(b, step);
	}
	for (int t = step; t < max; t *= 2)
		gb_threads(b, t);
	return gb_threads(b, max >= step ? max - max % step : step);
}

#endif /* BENCH_MAX_THREADS_H */
