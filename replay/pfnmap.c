// SPDX-License-Identifier: GPL-2.0
/* pfnmap.c - see pfnmap.h. */
#include <stdlib.h>
#include <string.h>

#include "replay/pfnmap.h"

#define PFNMAP_EMPTY UINT64_MAX

static inline size_t hash_pfn(uint64_t pfn, size_t mask)
{
	/* Fibonacci hashing: consecutive pfns (the common case) spread over the table. */
	return (size_t)((pfn * UINT64_C(0x9E3779B97F4A7C15)) >> 20) & mask;
}

static int alloc_slots(struct pfnmap *m, size_t cap)
{
	struct pfnmap_slot *s = malloc(cap * sizeof(*s));

	if (!s)
		return -1;
	memset(s, 0xff, cap * sizeof(*s));	/* key = PFNMAP_EMPTY */
	m->slots = s;
	m->mask = cap - 1;
	return 0;
}

int pfnmap_init(struct pfnmap *m, size_t expected)
{
	size_t cap = 1024;

	memset(m, 0, sizeof(*m));
	while (cap / 8 * 5 < expected)
		cap <<= 1;
	return alloc_slots(m, cap);
}

void pfnmap_destroy(struct pfnmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}

static int grow(struct pfnmap *m)
{
	struct pfnmap_slot *old = m->slots;
	size_t old_cap = m->mask + 1;

	if (alloc_slots(m, old_cap * 2)) {
		m->slots = old;
		return -1;
	}
	for (size_t i = 0; i < old_cap; i++) {
		if (old[i].key == PFNMAP_EMPTY)
			continue;
		size_t j = hash_pfn(old[i].key >> 8, m->mask);
		while (m->slots[j].key != PFNMAP_EMPTY)
			j = (j + 1) & m->mask;
		m->slots[j] = old[i];
	}
	free(old);
	return 0;
}

static inline size_t find(const struct pfnmap *m, uint64_t pfn, bool *found)
{
	size_t i = hash_pfn(pfn, m->mask);

	for (;;) {
		uint64_t k = m->slots[i].key;
		if (k == PFNMAP_EMPTY) {
			*found = false;
			return i;
		}
		if (k >> 8 == pfn) {
			*found = true;
			return i;
		}
		i = (i + 1) & m->mask;
	}
}

int pfnmap_put(struct pfnmap *m, uint64_t pfn, struct page *page, unsigned order, struct page **old_page,
	       unsigned *old_order)
{
	bool found;

	if (pfn > PFNMAP_MAX_PFN)
		return -1;
	if ((m->count + 1) * 8 > (m->mask + 1) * 5 && grow(m))
		return -1;
	size_t i = find(m, pfn, &found);
	if (found) {
		if (old_page)
			*old_page = m->slots[i].page;
		if (old_order)
			*old_order = (unsigned)(m->slots[i].key & 0xff);
	}
	m->slots[i].key = pfn << 8 | (order & 0xff);
	m->slots[i].page = page;
	if (found)
		return 1;
	if (++m->count > m->max_count)
		m->max_count = m->count;
	return 0;
}

bool pfnmap_get(const struct pfnmap *m, uint64_t pfn, struct page **page, unsigned *order)
{
	bool found;

	if (pfn > PFNMAP_MAX_PFN)
		return false;
	size_t i = find(m, pfn, &found);
	if (found) {
		if (page)
			*page = m->slots[i].page;
		if (order)
			*order = (unsigned)(m->slots[i].key & 0xff);
	}
	return found;
}

bool pfnmap_take(struct pfnmap *m, uint64_t pfn, struct page **page, unsigned *order)
{
	bool found;

	if (pfn > PFNMAP_MAX_PFN)
		return false;
	size_t i = find(m, pfn, &found);
	if (!found)
		return false;
	if (page)
		*page = m->slots[i].page;
	if (order)
		*order = (unsigned)(m->slots[i].key & 0xff);
	/* Backward-shift deletion: pull later members of the cluster into the hole. */
	size_t hole = i;
	for (size_t j = (i + 1) & m->mask; m->slots[j].key != PFNMAP_EMPTY; j = (j + 1) & m->mask) {
		size_t home = hash_pfn(m->slots[j].key >> 8, m->mask);
		/* j may move to hole when its home is not in (hole, j] (cyclically) */
		bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
		if (!stays) {
			m->slots[hole] = m->slots[j];
			hole = j;
		}
	}
	m->slots[hole].key = PFNMAP_EMPTY;
	m->slots[hole].page = NULL;
	m->count--;
	return true;
}
