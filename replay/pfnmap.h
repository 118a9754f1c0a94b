/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pfnmap.h - trace pfn -> (model page, order): the live allocations of a replay.
 *
 * Open addressing with linear probing and backward-shift deletion (no tombstones, so a
 * long replay that allocates and frees millions of pages never degrades). 16 bytes per
 * slot: the key packs the trace pfn with the block's order (pfn << 8 | order; kernel
 * pfns are below 2^52), the value is the model's struct page *. The table doubles when
 * it is 5/8 full; it starts small and never shrinks.
 */
#ifndef BENCH_REPLAY_PFNMAP_H
#define BENCH_REPLAY_PFNMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct page;

struct pfnmap_slot {
	uint64_t key;			/* PFNMAP_EMPTY, or pfn << 8 | order */
	struct page *page;
};

struct pfnmap {
	struct pfnmap_slot *slots;
	size_t mask;			/* capacity - 1 (capacity: a power of two) */
	size_t count;
	size_t max_count;		/* high-water mark of count */
};

#define PFNMAP_MAX_PFN ((UINT64_C(1) << 56) - 1)

/* 0, or -1 when memory cannot be had. */
int pfnmap_init(struct pfnmap *m, size_t expected);
void pfnmap_destroy(struct pfnmap *m);
/*
 * Inserts or replaces pfn's entry. 0: inserted; 1: replaced (pfn was live: *old_page
 * and *old_order, when not NULL, get the previous value); -1: out of memory or pfn
 * above PFNMAP_MAX_PFN.
 */
int pfnmap_put(struct pfnmap *m, uint64_t pfn, struct page *page, unsigned order, struct page **old_page,
	       unsigned *old_order);
/* true when found (the entry is removed and returned). */
bool pfnmap_take(struct pfnmap *m, uint64_t pfn, struct page **page, unsigned *order);
/* true when pfn is live (nothing is changed). */
bool pfnmap_get(const struct pfnmap *m, uint64_t pfn, struct page **page, unsigned *order);
static inline size_t pfnmap_count(const struct pfnmap *m) { return m->count; }

#endif /* BENCH_REPLAY_PFNMAP_H */
