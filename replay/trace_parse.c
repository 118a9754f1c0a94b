// SPDX-License-Identifier: GPL-2.0
/*
 * trace_parse.c - the trace reader's line parser: a line's header (task, pid, CPU,
 * timestamp), its event name and its key=value fields, taken off the bitmaps
 * scan_line built, and trace_next.
 */
#define _GNU_SOURCE
#include "replay/trace_internal.h"

/* ---------------------------------------------------------------- line parser */

static inline bool is_digit(unsigned char c)
{
	return (unsigned char)(c - '0') < 10;
}

static const signed char hexval[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7,
	['7'] = 8, ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14,
	['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15,
	['F'] = 16,
};	/* digit value + 1; 0: not a hex digit */

/* "0x1f" (hex) or "31" (decimal), the whole of [s, s + n). */
static inline bool parse_u64(const char *s, size_t n, uint64_t *out)
{
	uint64_t v = 0;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		n -= 2;
		while (n > 1 && s[0] == '0') {
			s++;
			n--;
		}
		if (n > 16)
			return false;
		for (size_t i = 0; i < n; i++) {
			int d = hexval[(unsigned char)s[i]];

			if (!d)
				return false;
			v = (v << 4) | (uint64_t)(d - 1);
		}
		*out = v;
		return true;
	}
	if (n == 0 || n > 20)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned char)s[i] - '0';

		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

/* Decimal int32 with an optional '-'. */
static inline bool parse_i32(const char *s, size_t n, int32_t *out)
{
	bool neg = false;
	int64_t v = 0;

	if (n && s[0] == '-') {
		neg = true;
		s++;
		n--;
	}
	if (n == 0 || n > 10)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned char)s[i] - '0';

		if (d > 9)
			return false;
		v = v * 10 + d;
	}
	if (neg)
		v = -v;
	if (v < INT32_MIN || v > INT32_MAX)
		return false;
	*out = (int32_t)v;
	return true;
}

/* "SECONDS.FRACTION:" filling [p, e). */
static bool parse_ts(const char *p, const char *e, uint64_t *ns)
{
	static const uint32_t scale[10] = {
		1000000000, 100000000, 10000000, 1000000, 100000, 10000, 1000, 100, 10, 1
	};
	uint64_t sec = 0, frac = 0;
	int nd = 0, nf = 0;

	if (e - p < 4 || e[-1] != ':')
		return false;
	e--;
	while (p < e && is_digit(*p)) {
		if (++nd > 10)
			return false;
		sec = sec * 10 + (uint64_t)(*p++ - '0');
	}
	if (nd == 0 || p == e || *p != '.')
		return false;
	p++;
	while (p < e && is_digit(*p)) {
		if (nf < 9) {
			frac = frac * 10 + (uint64_t)(*p - '0');
			nf++;
		}
		p++;
	}
	if (nf == 0 || p != e)
		return false;
	*ns = sec * 1000000000ull + frac * scale[nf];
	return true;
}

/* "[CPU]" filling [p, e). */
static bool parse_cpu(const char *p, const char *e, uint32_t *cpu)
{
	uint64_t v = 0;

	if (e - p < 3 || e - p > 12 || p[0] != '[' || e[-1] != ']')
		return false;
	for (p++, e--; p < e; p++) {
		if (!is_digit(*p))
			return false;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (v > UINT32_MAX)
		return false;
	*cpu = (uint32_t)v;
	return true;
}

/* "PID" or "PID/TID" filling [p, e). */
static bool parse_pid(const char *p, const char *e, uint32_t *pid)
{
	const char *slash = NULL, *pe;
	uint64_t v = 0;

	for (const char *c = p; c < e; c++) {
		if (*c == '/') {
			slash = c;
			break;
		}
	}
	pe = slash ? slash : e;

	/* perf prints "-1" (with COMM ":-1") when it cannot tell the task: real output */
	if (!slash && pe - p == 2 && p[0] == '-' && p[1] == '1') {
		*pid = UINT32_MAX;
		return true;
	}
	if (p == pe || pe - p > 10)
		return false;
	for (const char *c = p; c < pe; c++) {
		if (!is_digit(*c))
			return false;
		v = v * 10 + (uint64_t)(*c - '0');
	}
	if (v > UINT32_MAX)
		return false;
	if (slash) {
		if (slash + 1 == e)
			return false;
		for (const char *c = slash + 1; c < e; c++)
			if (!is_digit(*c))
				return false;
	}
	*pid = (uint32_t)v;
	return true;
}

enum {
	F_PFN = 1 << 0,
	F_ORDER = 1 << 1,
	F_MT = 1 << 2,
	F_GFP = 1 << 3,
	F_REFILL = 1 << 4,
	F_FORDER = 1 << 5,
	F_FMT = 1 << 6,
	F_AORDER = 1 << 7,
	F_AMT = 1 << 8,
	F_NR = 9,
};

static const char *const field_names[F_NR] = {
	"pfn", "order", "migratetype", "gfp_flags", "percpu_refill",
	"fallback_order", "fallback_migratetype", "alloc_order", "alloc_migratetype",
};

/*
 * The events the reader knows: each one's name (with or without "kmem:") and the fields
 * a line of it must have. The names, the classifier and the required-field check all
 * read this one table.
 */
static const struct trace_event_desc {
	const char *name;
	size_t len;
	unsigned int required;
} trace_events[TRACE_NR_TYPES] = {
#define EV(type, name, req) [type] = { name, sizeof(name) - 1, req }
	EV(TRACE_MM_PAGE_ALLOC, "mm_page_alloc", F_PFN | F_ORDER | F_MT | F_GFP),
	EV(TRACE_MM_PAGE_FREE, "mm_page_free", F_PFN | F_ORDER),
	EV(TRACE_MM_PAGE_FREE_BATCHED, "mm_page_free_batched", F_PFN),
	EV(TRACE_MM_PAGE_ALLOC_ZONE_LOCKED, "mm_page_alloc_zone_locked", F_PFN | F_ORDER | F_MT | F_REFILL),
	EV(TRACE_MM_PAGE_PCPU_DRAIN, "mm_page_pcpu_drain", F_PFN | F_ORDER | F_MT),
	EV(TRACE_MM_PAGE_ALLOC_EXTFRAG, "mm_page_alloc_extfrag", F_PFN | F_AORDER | F_FORDER | F_AMT | F_FMT),
	EV(TRACE_UNKNOWN, "unknown", 0),
#undef EV
};

const char *trace_event_type_name(enum trace_event_type type)
{
	if ((unsigned int)type < TRACE_NR_TYPES)
		return trace_events[type].name;
	return "?";
}

#define MAX_ORDER_SEEN 63
#define MAX_MIGRATETYPE_SEEN 7  /* every kernel's MIGRATE_TYPES (CMA and ISOLATE included) is below 8 */

static enum trace_event_type classify(const char *s, size_t n)
{
	if (n > 5 && same_bytes(s, "kmem:", 5)) {
		s += 5;
		n -= 5;
	}
	/* every name has its own length: at most one comparison of bytes */
	for (int t = 0; t < TRACE_UNKNOWN; t++)
		if (n == trace_events[t].len && same_bytes(s, trace_events[t].name, n))
			return (enum trace_event_type)t;
	return TRACE_UNKNOWN;
}

#define KEY_IS(lit) (klen == sizeof(lit) - 1 && same_bytes(k, lit, sizeof(lit) - 1))

/* 1: event parsed; 0: blank or comment line; -1: malformed; -2: fatal (message in r->err). */
/* What a line's header gave: COMM's span, the PID, the CPU and the timestamp. */
struct line_header {
	size_t comm_s, comm_e;
	uint32_t cpu, pid;
	uint64_t ts;
};

/*
 * Header: COMM PID [CPU] SECONDS.FRACTION: -- COMM may hold spaces and brackets, so the
 * first "[digits]" token after at least one other token and followed by a timestamp
 * token is the CPU. (s, e) is the first token. 1, or what parse_line returns for a bad line.
 */
static inline __attribute__((always_inline)) int parse_header(struct trace_reader *r, const char *line,
							      struct tokens *t, size_t s, size_t e,
							      struct line_header *h)
{
	const char *hdr_err = "no \" [CPU] \" field";
	size_t pid_s = s, pid_e = e;	/* the token before the candidate */
	size_t prev_e = s;		/* end of the token before pid_s (comm_e candidate) */
	bool first = true;

	h->comm_s = h->comm_e = s;
	h->cpu = h->pid = 0;
	h->ts = 0;
	for (;;) {
		size_t cs, ce;

		if (!token_next(t, &cs, &ce))
			return bad(r, "%s", hdr_err);
		if (line[cs] == '[' && parse_cpu(line + cs, line + ce, &h->cpu)) {
			struct tokens peek = *t;
			size_t ts_s, ts_e;

			if (!token_next(&peek, &ts_s, &ts_e) || !parse_ts(line + ts_s, line + ts_e, &h->ts)) {
				hdr_err = "bad timestamp after [CPU] (want SECONDS.FRACTION:)";
			} else if (!parse_pid(line + pid_s, line + pid_e, &h->pid)) {
				/* pid_s/pid_e: the token before; on the first pass, the first one. */
				hdr_err = "bad or missing PID before [CPU]";
			} else {
				*t = peek;
				h->comm_e = first ? h->comm_s : prev_e;
				return 1;
			}
		}
		prev_e = pid_e;
		pid_s = cs;
		pid_e = ce;
		first = false;
	}
}

static inline __attribute__((always_inline)) int parse_fields(struct trace_reader *r, const char *line,
							      struct tokens *t, enum trace_event_type type,
							      struct trace_event *ev);

/* One line into *ev: 1 an event, 0 nothing (blank, comment, or a skipped bad line), < 0 an error. */
static int parse_line(struct trace_reader *r, const char *line, size_t len, struct trace_event *ev)
{

	if (len && line[len - 1] == '\r')
		len--;
	/* next_line() built the masks; from len on everything counts as a separator. */
	r->sp_mask[len >> 6] |= ~0ull << (len & 63);
	r->eq_mask[len >> 6] |= ~0ull << (len & 63);

	struct tokens t;
	size_t s, e;

	tokens_init(&t, r->sp_mask, len);
	if (!token_next(&t, &s, &e) || line[s] == '#') {
		r->counts.blank_lines++;
		return 0;
	}
	if (line[s] == '\t') {		/* rare: tabs count as blanks before COMM */
		size_t i = s;

		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i == len) {
			r->counts.blank_lines++;
			return 0;
		}
	}

	struct line_header h;
	int rc = parse_header(r, line, &t, s, e, &h);
	if (rc != 1)
		return rc;

	/* Event name: "kmem:mm_page_alloc:". */
	size_t ns, ne;

	if (!token_next(&t, &ns, &ne) || line[ne - 1] != ':' || ne - ns < 2)
		return bad(r, "missing event name after the timestamp");

	const char *name = line + ns;
	size_t nlen = ne - ns - 1;
	enum trace_event_type type = classify(name, nlen);

	ev->type = type;
	ev->cpu = h.cpu;
	ev->ts_ns = h.ts;
	ev->line = r->lineno;
	ev->pfn = 0;
	ev->order = -1;
	ev->migratetype = -1;
	ev->gfp = 0;
	ev->gfp_unknown = 0;
	ev->percpu_refill = -1;
	ev->fragmenting = -1;
	ev->change_ownership = -1;
	ev->fallback_order = -1;
	ev->fallback_migratetype = -1;
	ev->pid = h.pid;
	ev->comm = line + h.comm_s;
	ev->comm_len = (uint32_t)(h.comm_e - h.comm_s);
	ev->name = name;
	ev->name_len = (uint32_t)nlen;

	if (type == TRACE_UNKNOWN) {
		uint32_t id = unknown_id(r, TRACE_UNKNOWN_EVENT, name, nlen);

		if (id != NO_UNK_ID)
			r->unk[id].count++;
		else
			r->counts.unknown_names_dropped++;
		return 1;
	}

	return parse_fields(r, line, &t, type, ev);
}

/* The fields: key=value separated by spaces; then the checks of the event table. */
static inline __attribute__((always_inline)) int parse_fields(struct trace_reader *r, const char *line,
							      struct tokens *t, enum trace_event_type type,
							      struct trace_event *ev)
{
	const uint64_t *eqm = r->eq_mask;
	char s1[64];
	struct gfp_ent *g = NULL;
	unsigned int have = 0;
	size_t ks, ke;
	int32_t pb_order = 9;	/* pageblock_order= when printed; x86-64's otherwise */

	while (token_next(t, &ks, &ke)) {
		size_t q = next_set(eqm, ks);

		if (q >= ke)
			return bad(r, "%s: field '%s' is not key=value", trace_events[type].name,
				   snip(line + ks, ke - ks, s1, sizeof(s1)));

		const char *k = line + ks, *v = line + q + 1;
		size_t klen = q - ks, vlen = ke - q - 1;
		int32_t i32;
		unsigned int bit = 0;

		switch (klen) {
		case 3:
			if (KEY_IS("pfn")) {
				if (!parse_u64(v, vlen, &ev->pfn))
					goto bad_value;
				have |= F_PFN;
			}
			break;
		case 5:
			if (KEY_IS("order")) {
				bit = F_ORDER;
				goto order;
			}
			break;
		case 9:
			if (KEY_IS("gfp_flags")) {
				if (vlen == 0)
					goto bad_value;
				g = gfp_lookup(r, v, vlen);
				if (!g) {
					set_err(r, "out of memory");
					return -2;
				}
				have |= F_GFP;
			}
			break;
		case 11:
			if (KEY_IS("migratetype")) {
				bit = F_MT;
				goto mt;
			}
			if (KEY_IS("alloc_order")) {
				bit = F_AORDER;
				goto order;
			}
			if (KEY_IS("fragmenting")) {
				/*
				 * The kernel prints "fallback_order < pageblock_order", which perf's
				 * libtraceevent evaluates wrongly on 6.1x kernels (fragmenting=10 is
				 * real output): any number is accepted, and one other than 0 or 1 is
				 * worked out from the orders below.
				 */
				if (!parse_i32(v, vlen, &i32) || i32 < 0)
					goto bad_value;
				ev->fragmenting = (int8_t)(i32 > 1 ? 2 : i32);
			}
			break;
		case 13:
			if (KEY_IS("percpu_refill")) {
				if (!parse_i32(v, vlen, &i32) || (i32 != 0 && i32 != 1))
					goto bad_value;
				ev->percpu_refill = (int8_t)i32;
				have |= F_REFILL;
			}
			break;
		case 15:
			if (KEY_IS("pageblock_order")) {
				if (!parse_i32(v, vlen, &i32) || i32 < 0 || i32 > MAX_ORDER_SEEN)
					goto bad_value;
				pb_order = i32;
			}
			break;
		case 14:
			if (KEY_IS("fallback_order")) {
				if (!parse_i32(v, vlen, &i32) || i32 < 0 || i32 > MAX_ORDER_SEEN)
					goto bad_value;
				ev->fallback_order = i32;
				have |= F_FORDER;
			}
			break;
		case 16:
			if (KEY_IS("change_ownership")) {
				if (!parse_i32(v, vlen, &i32) || (i32 != 0 && i32 != 1))
					goto bad_value;
				ev->change_ownership = (int8_t)i32;
			}
			break;
		case 17:
			if (KEY_IS("alloc_migratetype")) {
				bit = F_AMT;
				goto mt;
			}
			break;
		case 20:
			if (KEY_IS("fallback_migratetype")) {
				if (!parse_i32(v, vlen, &ev->fallback_migratetype) || ev->fallback_migratetype < 0 ||
				    ev->fallback_migratetype > MAX_MIGRATETYPE_SEEN)
					goto bad_value;
				have |= F_FMT;
			}
			break;
		}
		continue;
order:
		if (!parse_i32(v, vlen, &i32) || i32 < 0 || i32 > MAX_ORDER_SEEN)
			goto bad_value;
		ev->order = i32;
		have |= bit;
		continue;
mt:
		if (!parse_i32(v, vlen, &ev->migratetype) || ev->migratetype < 0 || ev->migratetype > MAX_MIGRATETYPE_SEEN)
			goto bad_value;
		have |= bit;
		continue;
bad_value:
		{
			char s2[64];

			return bad(r, "%s: bad %s= value '%s'", trace_events[type].name,
				   snip(k, klen, s1, sizeof(s1)), snip(v, vlen, s2, sizeof(s2)));
		}
	}

	unsigned int missing = trace_events[type].required & ~have;

	if (missing)
		return bad(r, "%s: missing %s= field", trace_events[type].name,
			   field_names[__builtin_ctz(missing)]);
	/* 52-bit physical addresses: pfns below 2^40; mm_page_alloc prints -1 for a failed allocation */
	if ((have & F_PFN) && ev->pfn >= TRACE_PFN_LIMIT && !(type == TRACE_MM_PAGE_ALLOC && ev->pfn == TRACE_PFN_NONE))
		return bad(r, "%s: pfn %#" PRIx64 " is beyond 2^40, the last frame of a 52-bit physical address space",
			   trace_events[type].name, ev->pfn);
	if (type == TRACE_MM_PAGE_FREE_BATCHED && !(have & F_ORDER))
		ev->order = 0;	/* older kernels printed no order: always 0 */
	if (ev->fragmenting > 1)
		ev->fragmenting = ev->fallback_order < pb_order;
	if (g) {
		ev->gfp = g->gfp;
		ev->gfp_unknown = g->nunk;
		if (g->nunk) {
			if (!g->resolved && gfp_resolve(r, g) < 0) {
				set_err(r, "out of memory");
				return -2;
			}
			r->counts.unknown_gfp_events++;
			for (uint32_t i = 0; i < g->nids; i++) {
				if (g->ids[i] != NO_UNK_ID)
					r->unk[g->ids[i]].count++;
				else
					r->counts.unknown_names_dropped++;
			}
		}
	}
	return 1;
}

int trace_next(struct trace_reader *r, struct trace_event *ev)
{
	if (r->failed)
		return -1;
	for (;;) {
		const char *line;
		size_t len;
		int rc = next_line(r, &line, &len);

		if (rc == 0)
			return 0;
		if (rc < 0) {
			r->failed = true;
			return -1;
		}
		r->lineno++;
		r->counts.lines++;
		rc = parse_line(r, line, len, ev);
		if (rc > 0) {
			r->counts.events++;
			r->counts.by_type[ev->type]++;
			return 1;
		}
		if (rc == 0)
			continue;
		if (rc < -1 || !(r->flags & TRACE_SKIP_BAD)) {
			r->failed = true;
			return -1;
		}
		r->counts.bad_lines++;
		if (r->bad_reported++ < BAD_REPORT_MAX)
			warnf(r, "skipped: %s%s", r->err,
			      r->bad_reported == BAD_REPORT_MAX ? " (further bad lines counted silently)" : "");
		r->err[0] = '\0';
	}
}

