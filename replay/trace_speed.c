// SPDX-License-Identifier: GPL-2.0
/*
 * trace_speed - how fast the trace reader parses a trace.
 *
 *   trace_speed [--repeat N] [--mem] TRACE
 *
 * TRACE is text or .xz (recognised by content), or "-" for stdin.  Each pass
 * opens the trace and reads every event; the best pass and the mean are printed
 * as lines/s, events/s and MB/s (decompressed text).  --mem loads the file into
 * memory once and parses it from there (trace_open_mem), leaving out read().
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "replay/trace.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 20, n = 0;
	char *buf = malloc(cap);

	if (!f || !buf) {
		fprintf(stderr, "trace_speed: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	for (;;) {
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf) {
				fprintf(stderr, "trace_speed: out of memory\n");
				exit(2);
			}
		}
		size_t k = fread(buf + n, 1, cap - n, f);

		if (k == 0)
			break;
		n += k;
	}
	fclose(f);
	*len = n;
	return buf;
}

static void usage(void)
{
	fprintf(stderr, "usage: trace_speed [--repeat N] [--mem] TRACE\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *path = NULL;
	int repeat = 5, mem = 0;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--repeat") == 0 && i + 1 < argc)
			repeat = atoi(argv[++i]);
		else if (strcmp(argv[i], "--mem") == 0)
			mem = 1;
		else if (argv[i][0] == '-' && argv[i][1] == '-')
			usage();
		else if (!path)
			path = argv[i];
		else
			usage();
	}
	if (!path || repeat < 1)
		usage();
	if (strcmp(path, "-") == 0 && !mem)
		repeat = 1;	/* stdin can be read once */

	size_t mem_len = 0;
	void *mem_buf = mem ? slurp(path, &mem_len) : NULL;
	double best = 1e30, total = 0, cpu_total = 0;
	struct trace_counts c = { 0 };
	uint64_t checksum = 0;

	for (int pass = 0; pass < repeat; pass++) {
		char err[512];
		struct trace_event ev;
		double t0 = now_s(), c0 = cpu_s();
		struct trace_reader *r = mem ? trace_open_mem(mem_buf, mem_len, err, sizeof(err))
					     : trace_open(path, err, sizeof(err));
		int rc;

		if (!r) {
			fprintf(stderr, "trace_speed: %s\n", err);
			return 1;
		}
		trace_set_warn(r, NULL, NULL);
		while ((rc = trace_next(r, &ev)) > 0)
			checksum += ev.pfn + (uint64_t)ev.order + ev.gfp;
		if (rc < 0) {
			fprintf(stderr, "trace_speed: %s\n", trace_error(r));
			trace_close(r);
			return 1;
		}
		c = *trace_counts(r);
		trace_close(r);

		double dt = now_s() - t0;

		cpu_total += cpu_s() - c0;
		total += dt;
		if (dt < best)
			best = dt;
	}

	double mean = total / repeat;

	printf("trace: %s%s\n", path, mem ? " (from memory)" : "");
	printf("input: %llu lines, %llu events, %.1f MB text", (unsigned long long)c.lines,
	       (unsigned long long)c.events, (double)c.bytes / 1e6);
	if (c.compressed_bytes)
		printf(" from %.1f MB xz", (double)c.compressed_bytes / 1e6);
	printf("\npasses: %d, best %.3f s, mean %.3f s, cpu/pass %.3f s (checksum %llx)\n", repeat,
	       best, mean, cpu_total / repeat, (unsigned long long)checksum);
	printf("best: %.2f M lines/s, %.2f M events/s, %.0f MB/s\n", (double)c.lines / best / 1e6,
	       (double)c.events / best / 1e6, (double)c.bytes / best / 1e6);
	printf("mean: %.2f M lines/s, %.2f M events/s, %.0f MB/s\n", (double)c.lines / mean / 1e6,
	       (double)c.events / mean / 1e6, (double)c.bytes / mean / 1e6);
	free(mem_buf);
	return 0;
}
