/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace_fixture.h - what trace_test.c and trace_input_test.c share: a reader drained into
 * a result, parsing from memory, a string or a file, scratch files ($TEST_TMPDIR, else
 * /tmp), xz compression, and comparing events.  Test-only, included once per test binary.
 */
#ifndef REPLAY_TRACE_FIXTURE_H
#define REPLAY_TRACE_FIXTURE_H

#include <fcntl.h>
#include <lzma.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc/test_harness.h"
#include "replay/trace.h"

/* ------------------------------------------------------------ helpers */

static char warnings[32][320] __attribute__((unused));
static int nwarnings __attribute__((unused));

static inline void collect_warn(void *ctx, const char *msg)
{
	(void)ctx;
	if (nwarnings < 32)
		snprintf(warnings[nwarnings], sizeof(warnings[0]), "%s", msg);
	nwarnings++;
}

#define MAX_EV 256

struct result {
	int rc;			/* last trace_next(): 0 end, -1 error */
	int n;
	struct trace_event ev[MAX_EV];
	char comm[MAX_EV][64];
	char name[MAX_EV][64];
	char err[320];
	struct trace_counts counts;
	int nunk;
	struct trace_unknown unk[16];
	char unk_name[16][64];
};

/* Reads every event of an open reader into *res and closes it. */
static inline void drain(struct trace_reader *r, unsigned int flags, struct result *res)
{
	struct trace_event ev;

	memset(res, 0, sizeof(*res));
	nwarnings = 0;
	trace_set_flags(r, flags);
	trace_set_warn(r, collect_warn, NULL);
	while ((res->rc = trace_next(r, &ev)) > 0) {
		if (res->n < MAX_EV) {
			res->ev[res->n] = ev;
			snprintf(res->comm[res->n], 64, "%.*s", (int)ev.comm_len, ev.comm);
			snprintf(res->name[res->n], 64, "%.*s", (int)ev.name_len, ev.name);
		}
		res->n++;
	}
	snprintf(res->err, sizeof(res->err), "%s", trace_error(r));
	if (res->rc < 0)
		CHECK_EQ(trace_next(r, &ev), -1);	/* errors are final */
	res->counts = *trace_counts(r);

	const struct trace_unknown *u;
	size_t nu = trace_unknowns(r, &u);

	res->nunk = (int)nu;
	for (size_t i = 0; i < nu && i < 16; i++) {
		res->unk[i] = u[i];
		snprintf(res->unk_name[i], 64, "%s", u[i].name);
	}
	trace_close(r);
}

/*
 * Parses text from memory.  The text is copied into a buffer of exactly its
 * size, so that a read past the end shows under AddressSanitizer.
 */
static inline void parse_mem(const char *text, size_t len, unsigned int flags, struct result *res)
{
	char *copy = malloc(len ? len : 1);
	char err[256];

	memcpy(copy, text, len);
	struct trace_reader *r = trace_open_mem(copy, len, err, sizeof(err));

	CHECK(r != NULL);
	if (!r) {
		fprintf(stderr, "trace_open_mem: %s\n", err);
		memset(res, 0, sizeof(*res));
		free(copy);
		return;
	}
	drain(r, flags, res);
	free(copy);
}

static inline void parse_str(const char *text, unsigned int flags, struct result *res)
{
	parse_mem(text, strlen(text), flags, res);
}

static inline const char *tmpdir(void)
{
	const char *d = getenv("TEST_TMPDIR");

	return d && *d ? d : "/tmp";
}

static inline void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	CHECK(f != NULL);
	if (!f)
		return;
	CHECK_EQ(fwrite(data, 1, len, f), len);
	fclose(f);
}

static inline void parse_file(const char *path, unsigned int flags, struct result *res)
{
	char err[256];
	struct trace_reader *r = trace_open(path, err, sizeof(err));

	CHECK(r != NULL);
	if (!r) {
		fprintf(stderr, "trace_open: %s\n", err);
		memset(res, 0, sizeof(*res));
		return;
	}
	drain(r, flags, res);
}

/* xz-compresses text into a malloc'd buffer. */
static inline uint8_t *xz_compress(const char *text, size_t len, size_t *out_len)
{
	size_t cap = lzma_stream_buffer_bound(len);
	uint8_t *out = malloc(cap);
	size_t pos = 0;

	if (lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, (const uint8_t *)text, len, out,
				    &pos, cap) != LZMA_OK) {
		fprintf(stderr, "lzma_easy_buffer_encode failed\n");
		exit(2);
	}
	*out_len = pos;
	return out;
}

static inline bool same_event(const struct trace_event *a, const struct trace_event *b)
{
	return a->type == b->type && a->cpu == b->cpu && a->ts_ns == b->ts_ns &&
	       a->line == b->line && a->pfn == b->pfn && a->order == b->order &&
	       a->migratetype == b->migratetype && a->gfp == b->gfp &&
	       a->gfp_unknown == b->gfp_unknown && a->percpu_refill == b->percpu_refill &&
	       a->fallback_order == b->fallback_order &&
	       a->fallback_migratetype == b->fallback_migratetype &&
	       a->fragmenting == b->fragmenting && a->change_ownership == b->change_ownership &&
	       a->pid == b->pid && a->comm_len == b->comm_len && a->name_len == b->name_len;
}

/* ------------------------------------------------------------ traces */

/* One line of each event, as perf script prints them (Linux 6.18). */
static const char every_type[] __attribute__((unused)) =
	"            perf 11199 [001]  3742.301898:             kmem:mm_page_alloc: page=0x106656 pfn=0x106656 order=0 migratetype=0 gfp_flags=GFP_HIGHUSER|__GFP_ACCOUNT\n"
	"       perf-exec 11200 [000]  3742.302421:              kmem:mm_page_free: page=0x167ca5 pfn=0x167ca5 order=2\n"
	"       perf-exec 11200 [000]  3742.302424:      kmem:mm_page_free_batched: page=0x167ca5 pfn=0x167ca5 order=0\n"
	"         python3 11250 [001]  3743.000001:  kmem:mm_page_alloc_zone_locked: page=0x12c451 pfn=0x12c451 order=0 migratetype=1 percpu_refill=1\n"
	"         python3 11250 [001]  3743.000002:  kmem:mm_page_alloc_zone_locked: page=0x12c800 pfn=0x12c800 order=8 migratetype=1 percpu_refill=0\n"
	"              rm 11300 [000]  3744.123456:         kmem:mm_page_pcpu_drain: page=0x10aa3b pfn=0x10aa3b order=0 migratetype=2\n"
	"         python3 11250 [001]  3745.000000:      kmem:mm_page_alloc_extfrag: page=0x140000 pfn=0x140000 alloc_order=0 fallback_order=9 pageblock_order=9 alloc_migratetype=1 fallback_migratetype=0 fragmenting=0 change_ownership=1\n";

#endif /* REPLAY_TRACE_FIXTURE_H */
