// SPDX-License-Identifier: GPL-2.0
/*
 * replay_occupy.c - the model's memory as full as the kernel's was: from the capture's
 * NAME.buddyinfo.before, each zone keeps exactly the free blocks the kernel had (count per
 * order), and the rest of its memory is taken outside every counter, as memory in use
 * before the capture (a page cache, a process's mlocked memory). Without it the model
 * starts with every managed page free and a pressure trace never reaches a watermark.
 *
 * The carving: take every free block; for each order from the top, give back the blocks
 * the capture had, whole blocks taken at that order first, else the lower half of a split
 * bigger one whose upper halves stay in use (so no two given-back blocks are buddies and
 * none merges). Free pages go back as the pageblock's type; the capture's split by type
 * (pagetypeinfo) is not kept. Where the model's zone has no block as big as one of the
 * capture's (its reserved pages lie elsewhere), the same pages go back as smaller blocks
 * (counted: approximate); where the model has fewer free pages than the capture lists (the
 * per-CPU lists' seeds came from the same zone, and the two snapshots are a moment
 * apart), all of its free pages stay free. A free of a block allocated before the capture
 * (--replay-unknown-frees) takes one of the blocks in use here.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/internal.h"
#include "alloc/page_alloc.h"
#include "replay/replay_internal.h"

struct occ_block {
	struct page *page;
	struct zone *zone;
	bool whole;             /* taken from the buddy as it was (not a split's remainder) */
};

struct replay_occupy {
	struct machine *m;
	/* in use, by order: whole blocks taken from the buddy, and split remainders */
	struct occ_block *held[MAX_ORDER];
	size_t nheld[MAX_ORDER], cap[MAX_ORDER];
	unsigned long pages_held;
	unsigned long approximate;      /* capture blocks given back as smaller ones */
};

static int push(struct replay_occupy *o, unsigned order, struct page *page, struct zone *zone, bool whole)
{
	if (o->nheld[order] == o->cap[order]) {
		size_t nc = o->cap[order] ? 2 * o->cap[order] : 256;
		struct occ_block *n = realloc(o->held[order], nc * sizeof(*n));
		if (!n)
			return -1;
		o->held[order] = n;
		o->cap[order] = nc;
	}
	o->held[order][o->nheld[order]++] = (struct occ_block){ page, zone, whole };
	return 0;
}

/*
 * A held block of this zone (NULL: any) and order, split from one of order from_order or
 * more if need be (its upper halves stay held); NULL: none.
 */
static struct page *take(struct replay_occupy *o, struct zone *zone, unsigned order, unsigned from_order)
{
	for (unsigned j = from_order; j < MAX_ORDER; j++)
		for (size_t i = o->nheld[j]; i-- > 0;) {
			if (zone && o->held[j][i].zone != zone)
				continue;
			struct occ_block b = o->held[j][i];
			o->held[j][i] = o->held[j][--o->nheld[j]];
			while (j > order) {
				j--;
				if (push(o, j, b.page + (1UL << j), b.zone, false))
					return NULL;
				prep_new_page(o->m, b.page + (1UL << j), j, 0);
			}
			prep_new_page(o->m, b.page, order, 0);
			o->pages_held -= 1UL << order;
			return b.page;
		}
	return NULL;
}

/* Every free block of the zone, taken (allocated heads, no counter but the zone's free count). */
static int take_all(struct replay_occupy *o, struct zone *zone)
{
	struct machine *m = o->m;

	zone_lock(zone);
	for (unsigned ord = 0; ord < MAX_ORDER; ord++) {
		struct free_area *area = &zone->free_area[ord];
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct page *page;
			while ((page = pagelist_first(zone, &area->free_list[mt]))) {
				pagelist_del(zone, &area->free_list[mt], page);
				WRITE_ONCE(area->nr_free, area->nr_free - 1);
				__mod_zone_freepage_state(zone, -(1L << ord), mt);
				prep_new_page(m, page, ord, 0);
				if (push(o, ord, page, zone, true)) {
					zone_unlock(zone);
					return -1;
				}
				o->pages_held += 1UL << ord;
			}
		}
	}
	zone_unlock(zone);
	return 0;
}

static void give_back(struct replay_occupy *o, struct zone *zone, struct page *page, unsigned order)
{
	struct machine *m = o->m;
	unsigned long pfn = __page_to_pfn(m, page);

	if (free_pages_prepare(m, page, order))
		free_one_page(zone, page, pfn, order, get_pageblock_migratetype_pfn(m, pfn));
}

/* One zone: keep want[order] free blocks; whole ones taken at that order first. */
static int carve(struct replay_occupy *o, struct zone *zone, const unsigned long want[MAX_ORDER], char *err,
		 size_t errlen)
{
	if (take_all(o, zone))
		return errf(err, errlen, "out of memory");
	for (int ord = MAX_ORDER - 1; ord >= 0; ord--)
		for (unsigned long k = 0; k < want[ord]; k++) {
			struct page *page = NULL;
			/* a whole block of this order as the buddy had it: its buddy was not free */
			for (size_t i = o->nheld[ord]; i-- > 0;)
				if (o->held[ord][i].zone == zone && o->held[ord][i].whole) {
					page = o->held[ord][i].page;
					o->held[ord][i] = o->held[ord][--o->nheld[ord]];
					o->pages_held -= 1UL << ord;
					break;
				}
			if (!page)
				/* the lower half of a bigger one; its upper halves stay in use (never given back whole) */
				page = take(o, zone, (unsigned)ord, (unsigned)ord + 1);
			if (page) {
				give_back(o, zone, page, (unsigned)ord);
				continue;
			}
			/* the model's zone has no block this big (its reserved pages lie elsewhere): the same
			 * pages in smaller blocks, which may merge; counted as approximate */
			unsigned long left = 1UL << ord;
			for (int j = ord - 1; j >= 0 && left; j--)
				while (left >= (1UL << j) && (page = take(o, zone, (unsigned)j, (unsigned)j))) {
					give_back(o, zone, page, (unsigned)j);
					left -= 1UL << j;
				}
			o->approximate++;
			if (left)
				return 0;       /* every page the model had is free again: short by the lists' seeds */
		}
	return 0;
}

struct replay_occupy *replay_occupy_buddyinfo(struct machine *m, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	struct replay_occupy *o;

	if (!f) {
		errf(err, errlen, "%s: cannot open", path);
		return NULL;
	}
	o = calloc(1, sizeof(*o));
	if (!o) {
		fclose(f);
		errf(err, errlen, "out of memory");
		return NULL;
	}
	o->m = m;
	int lineno = 0;
	while (fgets(line, sizeof(line), f)) {
		int nid, used;
		char zname[16];
		unsigned long want[MAX_ORDER] = { 0 };
		lineno++;
		if (sscanf(line, "Node %d, zone %15s%n", &nid, zname, &used) != 2)
			continue;
		const char *p = line + used;
		int n = 0;
		for (; n < MAX_ORDER; n++) {
			char *end;
			unsigned long v = strtoul(p, &end, 10);
			if (end == p)
				break;
			want[n] = v;
			p = end;
		}
		if (n != MAX_ORDER) {
			errf(err, errlen, "%s:%d: %d free counts, not %d", path, lineno, n, MAX_ORDER);
			goto fail;
		}
		struct zone *zone = NULL;
		for (int z = 0; nid >= 0 && nid < m->nr_nodes && z < MAX_NR_ZONES; z++)
			if (!strcmp(m->node_data[nid]->node_zones[z].name, zname))
				zone = &m->node_data[nid]->node_zones[z];
		if (!zone) {
			errf(err, errlen, "%s:%d: node %d has no zone %s in the model", path, lineno, nid, zname);
			goto fail;
		}
		if (!managed_zone(zone))
			continue;
		if (carve(o, zone, want, err, errlen))
			goto fail;
	}
	fclose(f);
	return o;
fail:
	fclose(f);
	replay_occupy_free(o);
	return NULL;
}

struct page *replay_occupy_take(struct replay_occupy *o, struct zone *zone, unsigned order)
{
	return o && order < MAX_ORDER ? take(o, zone, order, order) : NULL;
}

unsigned long replay_occupy_pages(const struct replay_occupy *o)
{
	return o ? o->pages_held : 0;
}

unsigned long replay_occupy_approximate(const struct replay_occupy *o)
{
	return o ? o->approximate : 0;
}

void replay_occupy_free(struct replay_occupy *o)
{
	if (!o)
		return;
	for (int i = 0; i < MAX_ORDER; i++)
		free(o->held[i]);
	free(o);
}
