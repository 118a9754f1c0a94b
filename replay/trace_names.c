// SPDX-License-Identifier: GPL-2.0
/*
 * trace_names.c - the trace reader's name tables: gfp_flags= strings parsed once and
 * cached (the previous line's checked first), and names the model does not know, kept
 * with a count for the summary.
 */
#define _GNU_SOURCE
#include "replay/trace_internal.h"

/* ---------------------------------------------------------------- name tables */

static uint32_t hash_bytes(const char *s, size_t n, uint32_t seed)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ (n * 0x100000001b3ull) ^ seed;

	while (n >= 8) {
		uint64_t w;

		memcpy(&w, s, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
		s += 8;
		n -= 8;
	}
	if (n) {
		uint64_t w = 0;

		memcpy(&w, s, n);
		h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	}
	h ^= h >> 29;
	h *= 0x94d049bb133111ebull;
	return (uint32_t)(h >> 32);
}

/* Index into r->unk of (kind, name), adding it (and warning once) if new; NO_UNK_ID when full. */
uint32_t unknown_id(struct trace_reader *r, enum trace_unknown_kind kind,
			   const char *s, size_t n)
{
	uint32_t h = hash_bytes(s, n, (uint32_t)kind);
	uint32_t slot;

	if (!r->unk_slots) {
		r->unk_slots = calloc(UNK_SLOTS, sizeof(*r->unk_slots));
		if (!r->unk_slots)
			return NO_UNK_ID;
	}
	for (slot = h & (UNK_SLOTS - 1); r->unk_slots[slot]; slot = (slot + 1) & (UNK_SLOTS - 1)) {
		uint32_t i = r->unk_slots[slot] - 1;

		if (r->unk_hash[i] == h && r->unk[i].kind == kind && r->unk[i].len == n &&
		    memcmp(r->unk[i].name, s, n) == 0)
			return i;
	}
	if (r->nunk >= UNKNOWN_MAX)
		return NO_UNK_ID;
	if (r->nunk == r->unk_cap) {
		uint32_t ncap = r->unk_cap ? 2 * r->unk_cap : 16;
		struct trace_unknown *nu = realloc(r->unk, ncap * sizeof(*nu));

		if (!nu)
			return NO_UNK_ID;
		r->unk = nu;
		uint32_t *nh = realloc(r->unk_hash, ncap * sizeof(*nh));

		if (!nh)
			return NO_UNK_ID;
		r->unk_hash = nh;
		r->unk_cap = ncap;
	}
	char *copy = malloc(n + 1);

	if (!copy)
		return NO_UNK_ID;
	memcpy(copy, s, n);
	copy[n] = '\0';

	uint32_t i = r->nunk++;
	char msg[80];

	r->unk[i] = (struct trace_unknown){ .kind = kind, .name = copy, .len = n,
					    .count = 0, .first_line = r->lineno };
	r->unk_hash[i] = h;
	r->unk_slots[slot] = i + 1;
	if (kind == TRACE_UNKNOWN_EVENT && !trace_reclaim_event(s, n))
		warnf(r, "line %llu: unknown event '%s' (counted, reported once)",
		      (unsigned long long)r->lineno, snip(s, n, msg, sizeof(msg)));
	else
		warnf(r, "line %llu: unknown gfp flag '%s' (counted, reported once)",
		      (unsigned long long)r->lineno, snip(s, n, msg, sizeof(msg)));
	return i;
}

/*
 * scripts/capture-trace's reclaim and compaction events: no kmem: event of the parser's,
 * but expected (replay counts them by name), so no warning.
 */
bool trace_reclaim_event(const char *s, size_t n)
{
	static const char *const names[] = {
		"vmscan:mm_vmscan_wakeup_kswapd", "vmscan:mm_vmscan_kswapd_wake", "vmscan:mm_vmscan_kswapd_sleep",
		"vmscan:mm_vmscan_direct_reclaim_begin", "vmscan:mm_vmscan_direct_reclaim_end",
		"compaction:mm_compaction_begin", "compaction:mm_compaction_end", "compaction:mm_compaction_kcompactd_wake",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == n && !memcmp(names[i], s, n))
			return true;
	return false;
}

static void gfp_cache_flush(struct trace_reader *r)
{
	for (uint32_t i = 0; i < r->ngfp; i++) {
		free(r->gfp[i].s);
		free(r->gfp[i].ids);
	}
	r->ngfp = 0;
	r->gfp_last = 0;
	memset(r->gfp_slots, 0, GFP_SLOTS * sizeof(*r->gfp_slots));
}

/* Slow path: parse a new gfp_flags= string and cache it. */
static struct gfp_ent *gfp_add(struct trace_reader *r, const char *s, size_t n, uint32_t h,
			       uint32_t slot)
{
	struct gfp_ent e = { .len = (uint32_t)n, .hash = h };
	int nunk;

	if (r->ngfp >= GFP_CACHE_MAX) {
		gfp_cache_flush(r);
		for (slot = h & (GFP_SLOTS - 1); r->gfp_slots[slot]; slot = (slot + 1) & (GFP_SLOTS - 1))
			;
	}
	nunk = gfp_parse(s, n, &e.gfp, NULL, NULL);
	e.nunk = nunk > UINT16_MAX ? UINT16_MAX : (uint16_t)nunk;
	e.s = malloc(n ? n : 1);
	if (!e.s)
		return NULL;
	memcpy(e.s, s, n);
	if (!r->gfp) {
		r->gfp = malloc(GFP_CACHE_MAX * sizeof(*r->gfp));
		if (!r->gfp) {
			free(e.s);
			return NULL;
		}
	}
	r->gfp[r->ngfp] = e;
	r->gfp_slots[slot] = ++r->ngfp;
	return &r->gfp[r->ngfp - 1];
}

/*
 * The first time a string with unknown names is used by a valid event: find
 * each distinct unknown name, register it (warning once) and keep its index.
 * Done here rather than in gfp_add() so that a line rejected later on reports
 * and counts nothing.  0, or -1 out of memory.
 */
int gfp_resolve(struct trace_reader *r, struct gfp_ent *e)
{
	const char *p = e->s, *end = e->s + e->len;
	uint32_t cap = 0;

	e->resolved = true;
	for (;;) {
		const char *bar = memchr(p, '|', (size_t)(end - p));
		const char *pe = bar ? bar : end;
		const char *unk;
		size_t unk_len;
		gfp_t g;

		if (gfp_parse(p, (size_t)(pe - p), &g, &unk, &unk_len) != 0) {
			uint32_t id = unknown_id(r, TRACE_UNKNOWN_GFP, unk, unk_len);
			bool dup = false;

			for (uint32_t i = 0; i < e->nids && id != NO_UNK_ID; i++)
				dup |= e->ids[i] == id;
			if (!dup && e->nids < UINT16_MAX) {
				if (e->nids == cap) {
					uint32_t nc = cap ? 2 * cap : 4;
					uint32_t *ni = realloc(e->ids, nc * sizeof(*ni));

					if (!ni)
						return -1;
					e->ids = ni;
					cap = nc;
				}
				e->ids[e->nids++] = id;
			}
		}
		if (!bar)
			break;
		p = bar + 1;
	}
	return 0;
}

struct gfp_ent *gfp_lookup(struct trace_reader *r, const char *s, size_t n)
{
	if (r->gfp_last) {
		struct gfp_ent *e = &r->gfp[r->gfp_last - 1];

		if (e->len == n && same_bytes(e->s, s, n))
			return e;
	}
	if (!r->gfp_slots) {
		r->gfp_slots = calloc(GFP_SLOTS, sizeof(*r->gfp_slots));
		if (!r->gfp_slots)
			return NULL;
	}

	uint32_t h = hash_bytes(s, n, 0);
	uint32_t slot;

	for (slot = h & (GFP_SLOTS - 1); r->gfp_slots[slot]; slot = (slot + 1) & (GFP_SLOTS - 1)) {
		uint32_t i = r->gfp_slots[slot] - 1;
		struct gfp_ent *e = &r->gfp[i];

		if (e->hash == h && e->len == n && same_bytes(e->s, s, n)) {
			r->gfp_last = i + 1;
			return e;
		}
	}
	struct gfp_ent *e = gfp_add(r, s, n, h, slot);

	if (e)
		r->gfp_last = (uint32_t)(e - r->gfp) + 1;
	return e;
}

