// SPDX-License-Identifier: GPL-2.0
/*
 * trace_fuzz.c - libFuzzer target for the trace reader (and kernel_stats on
 * what it returns).  Built and run by scripts/fuzz-trace; the seed corpus is
 * replay/corpus/ (replayed by the trace_fuzz_corpus_test Bazel test).
 *
 * Each input is read four ways: from memory (trace_open_mem) and through a file
 * (trace_open on a memfd, i.e. the read() window), each strictly and with
 * TRACE_SKIP_BAD.  The memory and file readers must agree event for event and
 * end the same way; events must point inside the input; the numbers must be in
 * the ranges the header promises.  A disagreement aborts (a crash to libFuzzer).
 * Build with small -DBUF_SIZE / -DTRACE_MAX_LINE so the window refills, grows
 * and overflows on small inputs.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "replay/kernel_stats.h"
#include "replay/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(cond)                                                              \
	do {                                                                           \
		if (!(cond)) {                                                         \
			fprintf(stderr, "trace_fuzz: %s:%d: assertion failed: %s\n",  \
				__FILE__, __LINE__, #cond);                            \
			abort();                                                       \
		}                                                                      \
	} while (0)

static bool is_xz_input(const uint8_t *d, size_t n)
{
	return n >= 6 && memcmp(d, "\xfd" "7zXZ\0", 6) == 0;
}

static void check_event(const struct trace_event *ev, const uint8_t *data, size_t size,
			bool text)
{
	FUZZ_ASSERT((unsigned int)ev->type < TRACE_NR_TYPES);
	FUZZ_ASSERT(ev->line >= 1);
	FUZZ_ASSERT(ev->order >= -1 && ev->order < KSTATS_ORDERS);
	FUZZ_ASSERT(ev->percpu_refill >= -1 && ev->percpu_refill <= 1);
	FUZZ_ASSERT(ev->fragmenting >= -1 && ev->fragmenting <= 1);
	FUZZ_ASSERT(ev->change_ownership >= -1 && ev->change_ownership <= 1);
	FUZZ_ASSERT(ev->name_len >= 1);
	if (ev->type != TRACE_UNKNOWN)
		FUZZ_ASSERT(ev->order >= 0);	/* every known event has its order */
	if (ev->type == TRACE_MM_PAGE_ALLOC_ZONE_LOCKED)
		FUZZ_ASSERT(ev->percpu_refill == 0 || ev->percpu_refill == 1);
	if (text) {
		/* Zero copy from memory: the strings are inside the input. */
		const char *lo = (const char *)data, *hi = lo + size;

		FUZZ_ASSERT(ev->comm >= lo && ev->comm + ev->comm_len <= hi);
		FUZZ_ASSERT(ev->name >= lo && ev->name + ev->name_len <= hi);
		FUZZ_ASSERT(ev->comm + ev->comm_len <= ev->name);
	}
}

static bool same(const struct trace_event *a, const struct trace_event *b)
{
	return a->type == b->type && a->cpu == b->cpu && a->ts_ns == b->ts_ns &&
	       a->line == b->line && a->pfn == b->pfn && a->order == b->order &&
	       a->migratetype == b->migratetype && a->gfp == b->gfp &&
	       a->gfp_unknown == b->gfp_unknown && a->percpu_refill == b->percpu_refill &&
	       a->fragmenting == b->fragmenting && a->change_ownership == b->change_ownership &&
	       a->fallback_order == b->fallback_order &&
	       a->fallback_migratetype == b->fallback_migratetype && a->pid == b->pid &&
	       a->comm_len == b->comm_len && a->name_len == b->name_len &&
	       memcmp(a->comm, b->comm, a->comm_len) == 0 &&
	       memcmp(a->name, b->name, a->name_len) == 0;
}

static int memfd = -2;

/* The input as a file, for the read() path; NULL when no memfd can be had. */
static const char *as_file(const uint8_t *data, size_t size)
{
	static char path[64];

	if (memfd == -2) {
		memfd = memfd_create("trace_fuzz", MFD_CLOEXEC);
		if (memfd >= 0)
			snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	}
	if (memfd < 0)
		return NULL;
	if (ftruncate(memfd, 0) != 0)
		return NULL;
	for (size_t off = 0; off < size;) {
		ssize_t k = pwrite(memfd, data + off, size - off, (off_t)off);

		if (k <= 0)
			return NULL;
		off += (size_t)k;
	}
	return path;
}

static void run(const uint8_t *data, size_t size, unsigned int flags)
{
	char err1[256], err2[256];
	struct trace_reader *m = trace_open_mem(data, size, err1, sizeof(err1));
	const char *path = as_file(data, size);
	struct trace_reader *f = path ? trace_open(path, err2, sizeof(err2)) : NULL;
	bool text = !is_xz_input(data, size);
	struct kernel_stats ks;

	if (!m) {
		/* Only refused formats fail to open; the file reader must agree. */
		FUZZ_ASSERT(!path || !f);
		trace_close(f);
		return;
	}
	FUZZ_ASSERT(!path || f);
	trace_set_flags(m, flags);
	trace_set_warn(m, NULL, NULL);
	if (f) {
		trace_set_flags(f, flags);
		trace_set_warn(f, NULL, NULL);
	}
	kernel_stats_init(&ks);

	int ra;

	for (;;) {
		struct trace_event a, b;

		ra = trace_next(m, &a);
		int rb = f ? trace_next(f, &b) : ra;

		FUZZ_ASSERT(ra == rb);
		if (ra <= 0) {
			if (ra < 0 && f)
				FUZZ_ASSERT(strcmp(trace_error(m), trace_error(f)) == 0);
			break;
		}
		check_event(&a, data, size, text);
		if (f)
			FUZZ_ASSERT(same(&a, &b));
		kernel_stats_add(&ks, &a);
	}

	const struct trace_counts *c = trace_counts(m);
	uint64_t sum = 0;

	for (int t = 0; t < TRACE_NR_TYPES; t++)
		sum += c->by_type[t];
	FUZZ_ASSERT(sum == c->events);
	FUZZ_ASSERT(c->events + c->bad_lines + c->blank_lines <= c->lines);
	FUZZ_ASSERT(ks.allocs <= c->by_type[TRACE_MM_PAGE_ALLOC]);	/* CPUs >= KSTATS_MAX_CPUS: not counted */
	FUZZ_ASSERT(ks.refill_runs <= ks.refill_pages && ks.drain_runs <= ks.drain_pages);
	if (f) {
		const struct trace_counts *d = trace_counts(f);

		FUZZ_ASSERT(c->lines == d->lines && c->events == d->events &&
			    c->bad_lines == d->bad_lines);
		/* Text from memory counts all its bytes at once; read() as they come. */
		FUZZ_ASSERT(ra < 0 || c->bytes == d->bytes);
	}

	const struct trace_unknown *u;
	size_t nu = trace_unknowns(m, &u);

	for (size_t i = 0; i < nu; i++)
		FUZZ_ASSERT(u[i].count >= 1 && u[i].first_line >= 1 && u[i].name[u[i].len] == '\0');

	static FILE *devnull;

	if (!devnull)
		devnull = fopen("/dev/null", "w");
	if (devnull)
		trace_summary(m, devnull);
	kernel_stats_destroy(&ks);
	trace_close(m);
	trace_close(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	run(data, size, 0);
	run(data, size, TRACE_SKIP_BAD);
	return 0;
}
