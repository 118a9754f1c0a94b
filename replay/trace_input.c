// SPDX-License-Identifier: GPL-2.0
/*
 * trace_input.c - streaming `perf script` reader for kmem page allocator events: the input.
 *
 * Speed: text is parsed where read() or liblzma put it (a 256 KiB window), or
 * in place for memory input, with no copies, no sscanf/strtok and no allocation.
 * One SSE2 pass per line finds its '\n' and builds bitmaps of its spaces and
 * '=' signs; tokens and keys are then taken off the bitmaps with
 * count-trailing-zeros (see scan_line and struct tokens).  gfp_flags= strings
 * repeat (a few dozen distinct ones per trace), so each distinct string is
 * parsed once and kept in a small hash table, the previous line's checked first.
 */
#define _GNU_SOURCE
#include "replay/trace_internal.h"


/* ---------------------------------------------------------------- messages */

static void default_warn(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "trace: %s\n", msg);
}

void warnf(struct trace_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void warnf(struct trace_reader *r, const char *fmt, ...)
{
	char msg[320];
	va_list ap;

	if (!r->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->warn(r->warn_ctx, msg);
}

void set_err(struct trace_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void set_err(struct trace_reader *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->err, sizeof(r->err), fmt, ap);
	va_end(ap);
}

/* A line problem: "line N: ..." in r->err; returns -1. */
int bad(struct trace_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int bad(struct trace_reader *r, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(r->err, sizeof(r->err), "line %llu: ", (unsigned long long)r->lineno);

	va_start(ap, fmt);
	vsnprintf(r->err + n, sizeof(r->err) - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Printable excerpt of untrusted text for a message. */
const char *snip(const char *s, size_t n, char *out, size_t size)
{
	size_t max = size - 4, o = 0;

	for (size_t i = 0; i < n && o < max; i++) {
		unsigned char c = (unsigned char)s[i];

		out[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	if (n > max) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
	return out;
}

/* ---------------------------------------------------------------- input */

/* >0 bytes, 0 end of input, -1 error. */
static ssize_t raw_read(struct trace_reader *r, void *dst, size_t n)
{
	if (r->mem) {
		size_t left = r->mem_len - r->mem_pos;

		if (n > left)
			n = left;
		memcpy(dst, r->mem + r->mem_pos, n);
		r->mem_pos += n;
		return (ssize_t)n;
	}
	for (;;) {
		ssize_t k = read(r->fd, dst, n);

		if (k >= 0)
			return k;
		if (errno != EINTR) {
			set_err(r, "read error after line %llu: %s",
				(unsigned long long)r->lineno, strerror(errno));
			return -1;
		}
	}
}

static const char *lzma_msg(lzma_ret ret)
{
	switch (ret) {
	case LZMA_MEM_ERROR: return "out of memory";
	case LZMA_MEMLIMIT_ERROR: return "needs more memory than the 512 MiB limit";
	case LZMA_FORMAT_ERROR: return "not in .xz format";
	case LZMA_OPTIONS_ERROR: return "unsupported .xz options";
	case LZMA_DATA_ERROR: return "corrupt data";
	case LZMA_BUF_ERROR: return "truncated data";
	default: return "decoder error";
	}
}

/* Appends text to buf[end, cap): >0 bytes added, 0 end of input, -1 error. */
static ssize_t fill(struct trace_reader *r)
{
	size_t room = r->cap - r->end;

	if (!r->xz) {
		ssize_t k = raw_read(r, r->buf + r->end, room);

		if (k > 0) {
			r->end += (size_t)k;
			r->counts.bytes += (uint64_t)k;
		}
		return k;
	}
	if (r->xz_err) {
		/* Reported now, after the text decoded before it was used. */
		set_err(r, "xz: %s after line %llu", lzma_msg(r->xz_err), (unsigned long long)r->lineno);
		return -1;
	}
	if (r->xz_end)
		return 0;
	r->strm.next_out = (uint8_t *)r->buf + r->end;
	r->strm.avail_out = room;
	while (r->strm.avail_out == room) {
		lzma_ret ret;

		if (r->strm.avail_in == 0 && !r->raw_eof) {
			ssize_t k = raw_read(r, r->in, BUF_SIZE);

			if (k < 0)
				return -1;
			if (k == 0) {
				r->raw_eof = true;
			} else {
				r->strm.next_in = r->in;
				r->strm.avail_in = (size_t)k;
				r->counts.compressed_bytes += (uint64_t)k;
			}
		}
		ret = lzma_code(&r->strm, r->raw_eof && r->strm.avail_in == 0 ? LZMA_FINISH : LZMA_RUN);
		if (ret == LZMA_STREAM_END) {
			r->xz_end = true;
			break;
		}
		if (ret != LZMA_OK) {
			r->xz_err = ret;
			if (r->strm.avail_out != room)
				break;	/* hand over what came out first */
			return fill(r);
		}
	}
	size_t got = room - r->strm.avail_out;

	r->end += got;
	r->counts.bytes += got;
	return (ssize_t)got;
}

/*
 * Line scan.  While looking for the '\n' that ends a line, bitmaps of the line
 * are built on the way: bit i of sp is set when line[i] is ' ', of eq when it is
 * '='.  parse_line() then takes tokens (runs of non-spaces) off sp with
 * count-trailing-zeros: each step depends on the one before by a cycle or two,
 * where byte loops would end each token with an unpredictable branch.
 */
#if defined(__SSE2__)
#include <emmintrin.h>

/*
 * Scans s[0, n) for the first '\n' and returns its offset, or n when there is
 * none.  Mask words 0 .. ret / 64 are written; bits from ret on are unspecified.
 * Loads never leave s[0, n).
 */
static size_t scan_line(uint64_t *sp, uint64_t *eq, const char *s, size_t n)
{
	const __m128i vn = _mm_set1_epi8('\n'), vs = _mm_set1_epi8(' '), ve = _mm_set1_epi8('=');
	uint64_t a = 0, b = 0;
	size_t i = 0;

	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(s + i));
		unsigned int nl = (unsigned int)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vn));
		unsigned int sh = i & 63;

		a |= (uint64_t)(unsigned int)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vs)) << sh;
		b |= (uint64_t)(unsigned int)_mm_movemask_epi8(_mm_cmpeq_epi8(v, ve)) << sh;
		if (nl) {
			sp[i >> 6] = a;
			eq[i >> 6] = b;
			return i + (size_t)__builtin_ctz(nl);
		}
		if (sh == 48) {
			sp[i >> 6] = a;
			eq[i >> 6] = b;
			a = b = 0;
		}
	}

	size_t rem = n - i;
	unsigned int nl = 0;

	if (rem) {
		__m128i v;

		if (n >= 16) {	/* the last 16 bytes; those before i shifted out below */
			v = _mm_loadu_si128((const __m128i *)(s + n - 16));
		} else {
			char tmp[16] = { 0 };

			memcpy(tmp + 16 - n, s, n);	/* same layout: s ends at tmp + 16 */
			v = _mm_loadu_si128((const __m128i *)tmp);
		}
		unsigned int drop = (unsigned int)(16 - rem);

		nl = (unsigned int)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vn)) >> drop;
		a |= (uint64_t)((unsigned int)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vs)) >> drop) << (i & 63);
		b |= (uint64_t)((unsigned int)_mm_movemask_epi8(_mm_cmpeq_epi8(v, ve)) >> drop) << (i & 63);
	}
	sp[i >> 6] = a;
	eq[i >> 6] = b;
	return nl ? i + (size_t)__builtin_ctz(nl) : n;
}
#else
static size_t scan_line(uint64_t *sp, uint64_t *eq, const char *s, size_t n)
{
	uint64_t a = 0, b = 0;
	size_t i;

	for (i = 0; i < n && s[i] != '\n'; i++) {
		a |= (uint64_t)(s[i] == ' ') << (i & 63);
		b |= (uint64_t)(s[i] == '=') << (i & 63);
		if ((i & 63) == 63) {
			sp[i >> 6] = a;
			eq[i >> 6] = b;
			a = b = 0;
		}
	}
	sp[i >> 6] = a;
	eq[i >> 6] = b;
	return i;
}
#endif

static bool ensure_masks(struct trace_reader *r, size_t n)
{
	size_t nw = n / 64 + 1;

	if (nw <= r->mask_words)
		return true;

	size_t want = nw < 64 ? 64 : nw;
	uint64_t *a = realloc(r->sp_mask, want * sizeof(*a));

	if (a)
		r->sp_mask = a;
	uint64_t *b = realloc(r->eq_mask, want * sizeof(*b));

	if (b)
		r->eq_mask = b;
	if (!a || !b) {
		set_err(r, "out of memory");
		return false;
	}
	r->mask_words = want;
	return true;
}

/*
 * 1: a line in [*lp, *lp + *lenp) without its '\n', with its masks built;
 * 0: end of input; -1: error.
 */
int next_line(struct trace_reader *r, const char **lp, size_t *lenp)
{
	for (;;) {
		char *s = r->buf + r->start;
		size_t avail = r->end - r->start;

		if (r->discarding) {	/* the rest of an overlong line */
			char *nl = avail ? memchr(s, '\n', avail) : NULL;

			if (nl) {
				r->start += (size_t)(nl - s) + 1;
				r->discarding = false;
				continue;
			}
			r->start = r->end;
			if (r->eof) {
				r->discarding = false;
				return 0;
			}
			r->start = r->end = 0;
		} else {
			size_t lim = avail < MAX_LINE + 1 ? avail : MAX_LINE + 1;

			if (!ensure_masks(r, lim))
				return -1;

			size_t pos = scan_line(r->sp_mask, r->eq_mask, s, lim);

			if (pos < lim) {
				r->start += pos + 1;
				*lp = s;
				*lenp = pos;
				return 1;
			}
			if (avail > MAX_LINE) {
				r->lineno++;
				r->counts.lines++;
				bad(r, "line longer than %zu bytes", MAX_LINE);
				if (!(r->flags & TRACE_SKIP_BAD))
					return -1;
				r->counts.bad_lines++;
				if (r->bad_reported++ < BAD_REPORT_MAX)
					warnf(r, "skipped: %s", r->err);
				r->err[0] = '\0';
				r->discarding = true;
				r->start += lim;
				continue;
			}
			if (r->eof) {
				if (avail == 0)
					return 0;
				r->start = r->end;	/* last line, without '\n' */
				*lp = s;
				*lenp = avail;
				return 1;
			}
			if (r->start > 0) {
				memmove(r->buf, s, avail);
				r->start = 0;
				r->end = avail;
			}
			if (r->end == r->cap) {	/* cap <= MAX_LINE here */
				size_t ncap = r->cap * 2 < MAX_LINE + 1 ? r->cap * 2 : MAX_LINE + 1;
				char *nb = realloc(r->buf, ncap);

				if (!nb) {
					set_err(r, "out of memory");
					return -1;
				}
				r->buf = nb;
				r->cap = ncap;
			}
		}

		ssize_t k = fill(r);

		if (k < 0)
			return -1;
		if (k == 0)
			r->eof = true;
	}
}

/* ---------------------------------------------------------------- open/close */

static struct trace_reader *reader_new(void)
{
	struct trace_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->fd = -1;
	r->warn = default_warn;
	lzma_stream init = LZMA_STREAM_INIT;
	r->strm = init;
	return r;
}

static void fail_open(struct trace_reader *r, char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void fail_open(struct trace_reader *r, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	trace_close(r);
}

static const char *refused_format(const unsigned char *p, size_t n)
{
	static const unsigned char gz[] = { 0x1f, 0x8b };
	static const unsigned char zst[] = { 0x28, 0xb5, 0x2f, 0xfd };
	static const unsigned char bz[] = { 'B', 'Z', 'h' };

	if (n >= sizeof(gz) && memcmp(p, gz, sizeof(gz)) == 0)
		return "gzip";
	if (n >= sizeof(zst) && memcmp(p, zst, sizeof(zst)) == 0)
		return "zstd";
	if (n >= 10 && memcmp(p, bz, sizeof(bz)) == 0 && p[3] >= '1' && p[3] <= '9' &&
	    memcmp(p + 4, "1AY&SY", 6) == 0)
		return "bzip2";
	return NULL;
}

static bool is_xz(const unsigned char *p, size_t n)
{
	static const unsigned char magic[] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };

	return n >= sizeof(magic) && memcmp(p, magic, sizeof(magic)) == 0;
}

static bool start_xz(struct trace_reader *r, char *err, size_t errlen, const char *what)
{
	lzma_ret ret = lzma_stream_decoder(&r->strm, XZ_MEMLIMIT, LZMA_CONCATENATED);

	if (ret != LZMA_OK) {
		fail_open(r, err, errlen, "%s: xz: %s", what, lzma_msg(ret));
		return false;
	}
	r->xz = true;
	return true;
}

/* The reader's own window of BUF_SIZE (xz output, or file reads); false with err when out of memory. */
static bool own_window(struct trace_reader *r, char *err, size_t errlen)
{
	r->cap = BUF_SIZE;
	r->own_buf = true;
	r->buf = malloc(r->cap);
	if (!r->buf) {
		fail_open(r, err, errlen, "out of memory");
		return false;
	}
	return true;
}

/* Reads from [buf, buf + len): xz decoded from there, text parsed in place. */
static bool init_mem(struct trace_reader *r, const void *buf, size_t len, const char *what,
		     char *err, size_t errlen)
{
	r->mem = buf;
	r->mem_len = len;
	const char *refused = refused_format(r->mem, len);

	if (refused) {
		fail_open(r, err, errlen, "%s: %s data is not supported (decompress it, or use xz)",
			  what, refused);
		return false;
	}
	if (is_xz(r->mem, len)) {
		if (!own_window(r, err, errlen))
			return false;
		r->strm.next_in = r->mem;
		r->strm.avail_in = len;
		r->mem_pos = len;
		r->raw_eof = true;
		r->counts.compressed_bytes = len;
		return start_xz(r, err, errlen, what);
	}
	/* Zero copy: the window is the input itself, never written. */
	r->buf = (char *)(uintptr_t)buf;
	r->cap = r->end = len;
	r->eof = true;
	r->counts.bytes = len;
	return true;
}

struct trace_reader *trace_open(const char *path, char *err, size_t errlen)
{
	struct trace_reader *r = reader_new();
	const char *what = (!path || strcmp(path, "-") == 0) ? "<stdin>" : path;

	if (err && errlen)
		err[0] = '\0';
	if (!r) {
		if (err && errlen)
			snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (!path || strcmp(path, "-") == 0) {
		r->fd = STDIN_FILENO;
	} else {
		r->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (r->fd < 0) {
			fail_open(r, err, errlen, "cannot open %s: %s", path, strerror(errno));
			return NULL;
		}
		r->close_fd = true;
	}

#ifdef POSIX_FADV_SEQUENTIAL
	posix_fadvise(r->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	if (!own_window(r, err, errlen))
		return NULL;

	/* Sniff the format: read until 10 bytes are in or the input ends. */
	while (r->end < 10) {
		ssize_t k = raw_read(r, r->buf + r->end, r->cap - r->end);

		if (k < 0) {
			fail_open(r, err, errlen, "%s: %s", what, r->err);
			return NULL;
		}
		if (k == 0)
			break;
		r->end += (size_t)k;
	}
	const char *refused = refused_format((unsigned char *)r->buf, r->end);

	if (refused) {
		fail_open(r, err, errlen, "%s: %s data is not supported (decompress it, or use xz)",
			  what, refused);
		return NULL;
	}
	if (is_xz((unsigned char *)r->buf, r->end)) {
		r->in = malloc(BUF_SIZE);
		if (!r->in) {
			fail_open(r, err, errlen, "out of memory");
			return NULL;
		}
		memcpy(r->in, r->buf, r->end);	/* end <= BUF_SIZE */
		r->strm.next_in = r->in;
		r->strm.avail_in = r->end;
		r->counts.compressed_bytes = r->end;
		r->end = 0;
		if (!start_xz(r, err, errlen, what))
			return NULL;
	} else {
		r->counts.bytes = r->end;
	}
	return r;
}

struct trace_reader *trace_open_mem(const void *buf, size_t len, char *err, size_t errlen)
{
	struct trace_reader *r = reader_new();

	if (err && errlen)
		err[0] = '\0';
	if (!r) {
		if (err && errlen)
			snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (!init_mem(r, buf, len, "<memory>", err, errlen))
		return NULL;
	return r;
}

void trace_close(struct trace_reader *r)
{
	if (!r)
		return;
	if (r->close_fd && r->fd >= 0)
		close(r->fd);
	lzma_end(&r->strm);
	free(r->in);
	if (r->own_buf)
		free(r->buf);
	for (uint32_t i = 0; i < r->ngfp; i++) {
		free(r->gfp[i].s);
		free(r->gfp[i].ids);
	}
	free(r->gfp);
	free(r->gfp_slots);
	for (uint32_t i = 0; i < r->nunk; i++)
		free((char *)r->unk[i].name);
	free(r->unk);
	free(r->unk_hash);
	free(r->unk_slots);
	free(r->sp_mask);
	free(r->eq_mask);
	free(r);
}

void trace_set_flags(struct trace_reader *r, unsigned int flags)
{
	r->flags = flags;
}

void trace_set_warn(struct trace_reader *r, trace_warn_fn fn, void *ctx)
{
	r->warn = fn;
	r->warn_ctx = ctx;
}

const char *trace_error(const struct trace_reader *r)
{
	return r->err;
}

const struct trace_counts *trace_counts(const struct trace_reader *r)
{
	return &r->counts;
}

size_t trace_unknowns(const struct trace_reader *r, const struct trace_unknown **list)
{
	*list = r->unk;
	return r->nunk;
}

void trace_summary(const struct trace_reader *r, FILE *out)
{
	const struct trace_counts *c = &r->counts;

	fprintf(out, "trace: %llu lines, %llu events", (unsigned long long)c->lines,
		(unsigned long long)c->events);
	for (int t = 0; t < TRACE_NR_TYPES; t++)
		if (c->by_type[t])
			fprintf(out, ", %s %llu", trace_event_type_name((enum trace_event_type)t), (unsigned long long)c->by_type[t]);
	fprintf(out, "\n");
	if (c->blank_lines)
		fprintf(out, "trace: %llu blank or comment lines\n", (unsigned long long)c->blank_lines);
	if (c->bad_lines)
		fprintf(out, "trace: %llu malformed lines skipped\n", (unsigned long long)c->bad_lines);
	if (c->unknown_gfp_events)
		fprintf(out, "trace: %llu events with unknown gfp names\n",
			(unsigned long long)c->unknown_gfp_events);
	for (uint32_t i = 0; i < r->nunk; i++) {
		const struct trace_unknown *u = &r->unk[i];
		char s[80];

		fprintf(out, "trace: unknown %s '%s': %llu events (first at line %llu)\n",
			u->kind == TRACE_UNKNOWN_EVENT ? "event" : "gfp flag",
			snip(u->name, u->len, s, sizeof(s)), (unsigned long long)u->count,
			(unsigned long long)u->first_line);
	}
	if (c->unknown_names_dropped)
		fprintf(out, "trace: %llu more unknown-name occurrences (table full, not listed)\n",
			(unsigned long long)c->unknown_names_dropped);
}

/* First set bit at or after i (i <= len: the bits from len on are set). */
