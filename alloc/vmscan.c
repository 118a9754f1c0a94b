// SPDX-License-Identifier: GPL-2.0
/*
 * vmscan.c - the per-node LRU of owner pages and page reclaim (Linux 4.12's mm/vmscan.c,
 * cut down): shrink_node scans the LRU tail at a priority (lru_size >> priority, at least
 * SWAP_CLUSTER_MAX), isolates a batch under lru->lock, asks each owner to evict without
 * the lock, frees what was given up (pgsteal) and rotates what was kept to the head.
 * One list per zone per node (the kernel's node LRU skips pages of ineligible zones; here
 * they are simply on another list). No active/inactive aging, no writeback, no swap:
 * reclaimable pages count as NR_ZONE_INACTIVE_FILE, movable-only ones as
 * NR_ZONE_ACTIVE_ANON (anon without swap: not reclaimable, like 4.12 with no swap).
 * See alloc/reclaim.h for the owner API, the off-CPU rule and the lock order.
 */
#include <stdio.h>
#include <stdlib.h>

#include "alloc/internal.h"
#include "alloc/page_alloc.h"
#include "alloc/reclaim.h"
#include "alloc/vmstat.h"

static inline struct lru_node *node_lru(struct machine *m, int nid) { return m->node_data[nid]->lru; }

int lru_register_owner(struct machine *m, const struct page_owner_ops *ops, void *ctx)
{
	struct slowpath_state *sp = m->slow;
	int id = -1;

	pthread_mutex_lock(&sp->lock);
	int n = atomic_load(&sp->nr_owners);
	if (n + 1 < LRU_MAX_OWNERS) {
		id = n + 1;
		sp->owners[id].ops = ops;
		sp->owners[id].ctx = ctx;
		atomic_store_explicit(&sp->nr_owners, id, memory_order_release);
	}
	pthread_mutex_unlock(&sp->lock);
	return id;
}

const struct page_owner *lru_owner(struct machine *m, const struct page *page)
{
	return &m->slow->owners[page->private];
}

static enum zone_stat_item lru_stat(unsigned flags)
{
	return (flags & PG_lru) ? NR_ZONE_INACTIVE_FILE : NR_ZONE_ACTIVE_ANON;
}

static struct pagelist *lru_list(struct lru_node *lru, struct zone *zone, unsigned flags)
{
	return (flags & PG_lru) ? &lru->reclaimable[zone->idx] : &lru->movable[zone->idx];
}

void __lru_add(struct machine *m, struct page *page, int owner, unsigned flags)
{
	struct zone *zone = page_zone(m, page);
	unsigned long pfn = __page_to_pfn(m, page);

	flags &= PG_lru | PG_movable;
	if (!zone || !(page->flags & PG_head) || !flags || owner < 1 || owner > atomic_load(&m->slow->nr_owners)) {
		bad_page(m, pfn, "lru_add of a page that cannot go on the LRU", "an allocated block head, PG_lru/PG_movable, a registered owner",
			 "something else");
		return;
	}
	struct lru_node *lru = node_lru(m, zone->node);
	pthread_mutex_lock(&lru->lock);
	page->private = (uint32_t)owner;
	WRITE_ONCE(page->flags, (uint8_t)(PG_head | flags));   /* a free of its buddy may look */
	lru->state[pfn - lru->start_pfn] = (uint8_t)flags;
	pagelist_add(zone, lru_list(lru, zone, flags), page);
	lru->nr[zone->idx] += 1UL << page->order;
	/* before the unlock: once on the list, reclaim may free the page at once */
	__mod_zone_page_state(zone, lru_stat(flags), 1L << page->order);
	pthread_mutex_unlock(&lru->lock);
}

void lru_add(struct page *page, int owner, unsigned flags)
{
	__lru_add(current_machine(), page, owner, flags);
}

bool __lru_del(struct machine *m, struct page *page)
{
	struct zone *zone = page_zone(m, page);
	unsigned long pfn = __page_to_pfn(m, page);

	if (!zone)
		return false;
	struct lru_node *lru = node_lru(m, zone->node);
	pthread_mutex_lock(&lru->lock);
	unsigned flags = lru->state[pfn - lru->start_pfn];
	if (!flags || (flags & LRU_ISOLATED)) {
		pthread_mutex_unlock(&lru->lock);
		return false;
	}
	pagelist_del(zone, lru_list(lru, zone, flags), page);
	lru->nr[zone->idx] -= 1UL << page->order;
	lru->state[pfn - lru->start_pfn] = 0;
	WRITE_ONCE(page->flags, (uint8_t)PG_head);
	page->private = 0;
	pthread_mutex_unlock(&lru->lock);
	__mod_zone_page_state(zone, lru_stat(flags), -(1L << page->order));
	return true;
}

bool lru_del(struct page *page)
{
	return __lru_del(current_machine(), page);
}

unsigned long lru_pages(struct machine *m, int nid)
{
	struct lru_node *lru = node_lru(m, nid);
	unsigned long n = 0;

	pthread_mutex_lock(&lru->lock);
	for (int z = 0; z < MAX_NR_ZONES; z++)
		n += lru->nr[z];
	pthread_mutex_unlock(&lru->lock);
	return n;
}

/* Under lru->lock: unlink; the state keeps the flags plus LRU_ISOLATED. */
void lru_isolate_locked(struct lru_node *lru, struct zone *zone, struct page *page)
{
	struct machine *m = zone->zone_pgdat->machine;
	unsigned long i = __page_to_pfn(m, page) - lru->start_pfn;
	unsigned flags = lru->state[i];

	pagelist_del(zone, lru_list(lru, zone, flags), page);
	lru->nr[zone->idx] -= 1UL << page->order;
	lru->state[i] = (uint8_t)(flags | LRU_ISOLATED);
}

void lru_putback(struct machine *m, struct page *page)
{
	struct zone *zone = page_zone(m, page);
	struct lru_node *lru = node_lru(m, zone->node);
	unsigned long i = __page_to_pfn(m, page) - lru->start_pfn;

	pthread_mutex_lock(&lru->lock);
	unsigned flags = lru->state[i] & ~LRU_ISOLATED;
	lru->state[i] = (uint8_t)flags;
	pagelist_add(zone, lru_list(lru, zone, flags), page);     /* rotated: the newest again */
	lru->nr[zone->idx] += 1UL << page->order;
	pthread_mutex_unlock(&lru->lock);
}

/*
 * Reclaimers are not CPUs here (kswapd) or do not want the block on their own pcp list
 * (direct reclaim, compaction): free straight to the buddy.
 */
void lru_free_isolated(struct machine *m, struct page *page)
{
	struct zone *zone = page_zone(m, page);
	struct lru_node *lru = node_lru(m, zone->node);
	unsigned long pfn = __page_to_pfn(m, page);
	unsigned int order = page->order;

	pthread_mutex_lock(&lru->lock);
	unsigned flags = lru->state[pfn - lru->start_pfn] & ~LRU_ISOLATED;
	lru->state[pfn - lru->start_pfn] = 0;
	WRITE_ONCE(page->flags, (uint8_t)PG_head);
	page->private = 0;
	pthread_mutex_unlock(&lru->lock);
	__mod_zone_page_state(zone, lru_stat(flags), -(1L << order));
	if (!free_pages_prepare(m, page, order))
		return;
	count_vm_events(PGFREE, 1L << order);
	free_one_page(zone, page, pfn, order, get_pageblock_migratetype_pfn(m, pfn));
}

unsigned long zone_reclaimable_pages(struct zone *zone)
{
	return (unsigned long)(zone_page_state_snapshot(zone, NR_ZONE_INACTIVE_FILE) +
			       zone_page_state_snapshot(zone, NR_ZONE_ACTIVE_FILE));
}

/*
 * shrink_node: scan up to lru_size >> priority reclaimable pages (at least
 * SWAP_CLUSTER_MAX) of the zones up to classzone_idx, oldest first, in batches of
 * SWAP_CLUSTER_MAX, until nr_to_reclaim pages were freed.
 */
unsigned long shrink_node(pg_data_t *pgdat, int classzone_idx, unsigned long nr_to_reclaim, int priority, bool kswapd)
{
	struct machine *m = pgdat->machine;
	struct lru_node *lru = pgdat->lru;
	unsigned long nr_reclaimed = 0, nr_scanned = 0, total = 0;
	struct page *batch[SWAP_CLUSTER_MAX];

	pthread_mutex_lock(&lru->lock);
	for (int z = 0; z <= classzone_idx && z < MAX_NR_ZONES; z++)
		total += lru->nr[z];
	pthread_mutex_unlock(&lru->lock);
	unsigned long target = total >> priority;
	if (target < SWAP_CLUSTER_MAX)
		target = total < SWAP_CLUSTER_MAX ? total : SWAP_CLUSTER_MAX;

	while (nr_scanned < target && nr_reclaimed < nr_to_reclaim) {
		unsigned long n = 0;
		pthread_mutex_lock(&lru->lock);
		/* highest eligible zone first: allocations prefer it */
		for (int z = classzone_idx < MAX_NR_ZONES ? classzone_idx : MAX_NR_ZONES - 1; z >= 0; z--) {
			struct zone *zone = &pgdat->node_zones[z];
			while (n < SWAP_CLUSTER_MAX && nr_scanned + n < target) {
				struct page *page = pagelist_last(zone, &lru->reclaimable[z]);
				if (!page)
					break;
				lru_isolate_locked(lru, zone, page);
				batch[n++] = page;
			}
		}
		pthread_mutex_unlock(&lru->lock);
		if (!n)
			break;
		nr_scanned += n;
		for (unsigned long i = 0; i < n; i++) {
			struct page *page = batch[i];
			const struct page_owner *o = lru_owner(m, page);
			if (o->ops->evict && o->ops->evict(o->ctx, page)) {
				nr_reclaimed += 1UL << page->order;
				lru_free_isolated(m, page);
			} else {
				lru_putback(m, page);
			}
		}
	}
	count_vm_events(kswapd ? PGSCAN_KSWAPD : PGSCAN_DIRECT, (long)nr_scanned);
	VT_CHARGE(RECLAIM_PAGE, nr_scanned);
	count_vm_events(kswapd ? PGSTEAL_KSWAPD : PGSTEAL_DIRECT, (long)nr_reclaimed);
	/* 4.12: progress anywhere makes a hopeless node worth kswapd's time again */
	if (nr_reclaimed && pgdat->kswapd)
		atomic_store(&((struct kswapd *)pgdat->kswapd)->failures, 0);
	return nr_reclaimed;
}

/*
 * do_try_to_free_pages: count the stall, then shrink each node of the zonelist at
 * falling priority until SWAP_CLUSTER_MAX pages were freed.
 */
unsigned long try_to_free_pages(gfp_t gfp_mask, unsigned int order, const struct alloc_context *ac)
{
	unsigned long nr_reclaimed = 0;

	(void)gfp_mask;
	(void)order;
	count_vm_event(ALLOCSTALL_DMA + ac->high_zoneidx);
	for (int priority = DEF_PRIORITY; priority >= 0 && nr_reclaimed < SWAP_CLUSTER_MAX; priority--) {
		nodemask_t done;
		nodes_clear(&done);
		for (struct zoneref *z = ac->zonelist->_zonerefs; z->zone; z++) {
			if (z->zone_idx > (int)ac->high_zoneidx)
				continue;
			if (ac->nodemask && !node_isset(z->zone->node, ac->nodemask))
				continue;
			if (node_isset(z->zone->node, &done))
				continue;
			node_set(z->zone->node, &done);
			nr_reclaimed += shrink_node(z->zone->zone_pgdat, (int)ac->high_zoneidx, SWAP_CLUSTER_MAX - nr_reclaimed,
						    priority, false);
			if (nr_reclaimed >= SWAP_CLUSTER_MAX)
				break;
		}
	}
	return nr_reclaimed;
}

unsigned long shrink_all_memory(struct machine *m)
{
	unsigned long total = 0, r;

	for (int nid = 0; nid < m->nr_nodes; nid++)
		do {
			r = shrink_node(m->node_data[nid], MAX_NR_ZONES - 1, ~0UL, 0, current_binding.cs == NULL);
			total += r;
		} while (r);
	return total;
}

/*
 * check_lru: every LRU list well formed (allocated block heads of this zone, page flags
 * and state byte agreeing, counts right), and no state byte set for a page on no list.
 * Callers quiesce the machine (no reclaim, compaction or owner calls meanwhile).
 */
int check_lru(struct machine *m, char *err, size_t errlen)
{
	unsigned long listed = 0, marked = 0;

	for (int nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = m->node_data[nid];
		struct lru_node *lru = pgdat->lru;
		pthread_mutex_lock(&lru->lock);
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &pgdat->node_zones[z];
			unsigned long pages = 0;
			for (int which = 0; which < 2; which++) {
				struct pagelist *l = which ? &lru->movable[z] : &lru->reclaimable[z];
				uint32_t prev = PAGE_NIL;
				unsigned long n = 0;
				for (uint32_t i = l->head; i != PAGE_NIL; i = idx_page(zone, i)->next) {
					struct page *p = idx_page(zone, i);
					unsigned long pfn = zone->zone_start_pfn + i;
					unsigned st = lru->state[pfn - lru->start_pfn];
					unsigned want = which ? PG_movable : PG_lru;
					if (++n > zone->spanned_pages) {
						snprintf(err, errlen, "%d:%s LRU list has a cycle", nid, zone->name);
						goto fail;
					}
					if (!(p->flags & PG_head) || (p->flags & (PG_lru | PG_movable)) != st || (st & LRU_ISOLATED) ||
					    !(st & want) || (which && (st & PG_lru)) || p->prev != prev || !p->private) {
						snprintf(err, errlen, "%d:%s LRU pfn %#lx: flags %#x state %#x owner %u", nid, zone->name,
							 pfn, p->flags, st, p->private);
						goto fail;
					}
					pages += 1UL << p->order;
					prev = i;
				}
				if (l->tail != prev) {
					snprintf(err, errlen, "%d:%s LRU list tail link is wrong", nid, zone->name);
					goto fail;
				}
				listed += n;
			}
			if (pages != lru->nr[z]) {
				snprintf(err, errlen, "%d:%s LRU holds %lu pages, its count says %lu", nid, zone->name, pages,
					 lru->nr[z]);
				goto fail;
			}
			for (unsigned long pfn = zone->zone_start_pfn; zone->spanned_pages && pfn < zone_end_pfn(zone); pfn++)
				marked += lru->state[pfn - lru->start_pfn] != 0;
		}
		pthread_mutex_unlock(&lru->lock);
		continue;
fail:
		pthread_mutex_unlock(&lru->lock);
		return -1;
	}
	if (marked != listed) {
		snprintf(err, errlen, "%lu frames are marked on an LRU, %lu are on the lists", marked, listed);
		return -1;
	}
	return 0;
}
