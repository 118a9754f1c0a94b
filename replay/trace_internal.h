/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trace_internal.h - what the trace reader's three files share (trace.h is the API):
 * trace_input.c (the text window over read() or liblzma, line scanning, open/close),
 * trace_names.c (the gfp_flags= cache and the table of unknown names), trace_parse.c
 * (the line parser and trace_next). The limits and struct trace_reader are here.
 */
#ifndef REPLAY_TRACE_INTERNAL_H
#define REPLAY_TRACE_INTERNAL_H

#include "replay/trace.h"

#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>
#include <stdio.h>


#ifndef BUF_SIZE
#define BUF_SIZE	(256u << 10)	/* text window, and xz input chunk */
#endif
#ifndef TRACE_MAX_LINE
#define TRACE_MAX_LINE	(1u << 20)	/* longer lines are malformed (smaller in fuzz builds) */
#endif
#define MAX_LINE	((size_t)TRACE_MAX_LINE)
#define GFP_CACHE_MAX	4096u		/* distinct gfp_flags= strings kept; then flushed */
#define UNKNOWN_MAX	4096u		/* distinct unknown names kept; then only counted */
#define BAD_REPORT_MAX	10		/* skipped bad lines reported through warn */
#define XZ_MEMLIMIT	(512ull << 20)

#define NO_UNK_ID	UINT32_MAX	/* an unknown name the table had no room for */

struct gfp_ent {
	char *s;
	uint32_t len;
	uint32_t hash;
	gfp_t gfp;
	uint16_t nunk;		/* unknown names in the string (gfp_parse's count) */
	uint16_t nids;		/* distinct ones, in ids[] (once resolved) */
	bool resolved;		/* ids[] filled: done at the first valid event using it */
	uint32_t *ids;		/* indexes into the reader's unknown table */
};

struct trace_reader {
	/* Raw bytes: a file descriptor, or memory (mem != NULL). */
	int fd;
	bool close_fd;
	const unsigned char *mem;
	size_t mem_len;
	size_t mem_pos;

	/* xz decoding. */
	bool xz;
	bool xz_end;
	bool raw_eof;
	lzma_ret xz_err;	/* a decoder error not reported yet (LZMA_OK: none) */
	lzma_stream strm;
	uint8_t *in;

	/* Text window: unconsumed bytes are buf[start, end). */
	char *buf;
	size_t cap;
	size_t start, end;
	bool own_buf;
	bool eof;		/* no more text will come */
	bool discarding;	/* skipping the rest of an overlong line */

	unsigned int flags;
	trace_warn_fn warn;
	void *warn_ctx;
	uint64_t lineno;
	bool failed;
	uint64_t bad_reported;
	char err[320];

	struct trace_counts counts;

	/* Separator bitmaps of the current line (see scan_line). */
	uint64_t *sp_mask, *eq_mask;
	size_t mask_words;

	/* gfp_flags= string cache. */
	struct gfp_ent *gfp;
	uint32_t ngfp;
	uint32_t gfp_last;	/* index + 1 of the previous line's entry, 0: none */
	uint32_t *gfp_slots;	/* open addressing: index + 1, 0: empty */

	/* Unknown names: the public table, and a hash index over it. */
	struct trace_unknown *unk;
	uint32_t *unk_hash;
	uint32_t nunk;
	uint32_t unk_cap;
	uint32_t *unk_slots;
};

#define GFP_SLOTS	(2 * GFP_CACHE_MAX)
#define UNK_SLOTS	(2 * UNKNOWN_MAX)

/* Shared helpers, under internal names (alloc/ has a warnf of its own). */
#define warnf trace_warnf
#define set_err trace_set_err
#define bad trace_bad
#define snip trace_snip
#define next_line trace_next_line
#define gfp_lookup trace_gfp_lookup
#define gfp_resolve trace_gfp_resolve
#define unknown_id trace_unknown_id

void warnf(struct trace_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void set_err(struct trace_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* a malformed line: counted, reported (the first few), -1 unless skipping */
int bad(struct trace_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *snip(const char *s, size_t n, char *out, size_t size);
int next_line(struct trace_reader *r, const char **lp, size_t *lenp);
struct gfp_ent *gfp_lookup(struct trace_reader *r, const char *s, size_t n);
int gfp_resolve(struct trace_reader *r, struct gfp_ent *e);
uint32_t unknown_id(struct trace_reader *r, enum trace_unknown_kind kind, const char *s, size_t n);

static inline __attribute__((always_inline)) size_t next_set(const uint64_t *m, size_t i)
{
	size_t w = i >> 6;
	uint64_t x = m[w] & (~0ull << (i & 63));

	while (!x)
		x = m[++w];
	return (w << 6) + (size_t)__builtin_ctzll(x);
}

/* Tokens: maximal runs of non-spaces, in order, as [start, end) offsets. */
struct tokens {
	const uint64_t *sp;
	size_t last;		/* index of the last word: len >> 6 */
	size_t ws, we;		/* words the start and end bits below come from */
	uint64_t sb, eb;	/* token starts / ends not yet taken */
};

static inline uint64_t starts_in(const uint64_t *sp, size_t w)
{
	uint64_t prev = w ? sp[w - 1] >> 63 : 1;	/* before the line: a space */

	return ~sp[w] & (sp[w] << 1 | prev);
}

static inline uint64_t ends_in(const uint64_t *sp, size_t w)
{
	uint64_t prev = w ? sp[w - 1] >> 63 : 1;

	return sp[w] & ~(sp[w] << 1 | prev);
}

static inline void tokens_init(struct tokens *t, const uint64_t *sp, size_t len)
{
	t->sp = sp;
	t->last = len >> 6;
	t->ws = t->we = 0;
	t->sb = starts_in(sp, 0);
	t->eb = ends_in(sp, 0);
}

static inline __attribute__((always_inline)) bool token_next(struct tokens *t, size_t *s, size_t *e)
{
	while (!t->sb) {
		if (t->ws == t->last)
			return false;
		t->sb = starts_in(t->sp, ++t->ws);
	}
	*s = (t->ws << 6) + (size_t)__builtin_ctzll(t->sb);
	t->sb &= t->sb - 1;
	/* Every token ends by len: the bits from len on are spaces. */
	while (!t->eb)
		t->eb = ends_in(t->sp, ++t->we);
	*e = (t->we << 6) + (size_t)__builtin_ctzll(t->eb);
	t->eb &= t->eb - 1;
	return true;
}

/* memcmp(a, b, n) == 0 for short strings, inline. */
static inline __attribute__((always_inline)) bool same_bytes(const char *a, const char *b, size_t n)
{
	while (n >= 8) {
		uint64_t x, y;

		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		if (x != y)
			return false;
		a += 8;
		b += 8;
		n -= 8;
	}
	while (n--)
		if (*a++ != *b++)
			return false;
	return true;
}


#endif /* REPLAY_TRACE_INTERNAL_H */
