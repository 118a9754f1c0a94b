// SPDX-License-Identifier: GPL-2.0
/*
 * lru.c - the per-node LRU lists (Linux 4.12's node-based LRU, mm/swap.c and
 * mm/workingset.c's list side): owners, adding and removing pages, isolation and putback,
 * activation, the accessed bits, and the consistency check. Reclaim itself is in
 * alloc/vmscan.c. One list per zone per node for each of the five LRUs (the kernel's node
 * LRU skips pages of ineligible zones; here they are simply on another zone's list).
 * See alloc/reclaim.h for the owner API, the off-CPU rule and the lock order.
 */
#include <stdio.h>
#include <stdlib.h>

#include "alloc/internal.h"
#include "alloc/page_alloc.h"
#include "alloc/reclaim.h"
#include "alloc/vmstat.h"
#include "pcp/pcp.h"

const char *const node_stat_names[NR_VM_NODE_STAT_ITEMS] = {
#define NS_NAME(e, s) s,
	NODE_STAT_ITEMS(NS_NAME)
#undef NS_NAME
};

static inline struct lru_node *node_lru(struct machine *m, int nid) { return m->node_data[nid]->lru; }
static inline unsigned long lru_idx(struct lru_node *lru, struct machine *m, const struct page *p)
{
	return __page_to_pfn(m, p) - lru->start_pfn;
}

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

void lru_account(struct zone *zone, enum lru_list l, long pages)
{
	__mod_zone_page_state(zone, (enum zone_stat_item)(NR_ZONE_INACTIVE_ANON + (int)l), pages);
}

static inline void list_link(struct lru_node *lru, struct zone *zone, struct page *page, enum lru_list l, bool tail)
{
	struct pagelist *pl = &lru->lists[l][zone->idx];

	if (tail)
		pagelist_add_tail(zone, pl, page);
	else
		pagelist_add(zone, pl, page);
	lru->nr[l][zone->idx] += 1UL << page->order;
}

static inline void list_unlink(struct lru_node *lru, struct zone *zone, struct page *page, enum lru_list l)
{
	pagelist_del(zone, &lru->lists[l][zone->idx], page);
	lru->nr[l][zone->idx] -= 1UL << page->order;
}

/*
 * lru_cache_add: file pages start inactive; anon pages start active before 5.9
 * (lru_cache_add_active_or_unevictable) and inactive from it (the policy's
 * reclaim_lru). Anon pages no owner can swap out are still on the anon lists, as
 * the kernel keeps them; get_scan_count never scans them without swap.
 */
void __lru_add(struct machine *m, struct page *page, int owner, unsigned flags)
{
	lru_add_index(m, page, owner, flags, 0);
}

void lru_add_index(struct machine *m, struct page *page, int owner, unsigned flags, uint32_t index)
{
	struct zone *zone = page_zone(m, page);
	unsigned long pfn = __page_to_pfn(m, page);
	bool file = flags & LRU_FILE;

	if (!zone || !(page->flags & PG_head) || (flags & ~(LRU_FILE | LRU_MOVABLE | LRU_ANON | LRU_DIRTY | LRU_ACTIVE)) ||
	    !(flags & (LRU_FILE | LRU_MOVABLE | LRU_ANON)) || (file && (flags & LRU_ANON)) || (!file && (flags & LRU_DIRTY)) ||
	    owner < 1 || owner > atomic_load(&m->slow->nr_owners) || (page->flags & PG_lru)) {
		bad_page(m, pfn, "lru_add of a page that cannot go on the LRU",
			 "an allocated block head off the LRU, LRU_FILE or LRU_ANON, a registered owner", "something else");
		return;
	}
	enum lru_list l = file ? LRU_INACTIVE_FILE : lru_aging(m)->anon_starts_active ? LRU_ACTIVE_ANON : LRU_INACTIVE_ANON;
	if (flags & LRU_ACTIVE)
		l = file ? LRU_ACTIVE_FILE : LRU_ACTIVE_ANON;
	struct lru_node *lru = node_lru(m, zone->node);
	long nr = 1L << page->order;
	pthread_mutex_lock(&lru->lock);
	page->private = (uint32_t)owner;
	WRITE_ONCE(page->flags, (uint8_t)(PG_head | PG_lru | (flags & LRU_MOVABLE)));   /* a buddy's free may look */
	unsigned long i = pfn - lru->start_pfn;
	lru->state[i] = (uint16_t)((l + 1) | ((flags & LRU_MOVABLE) ? LS_MOVABLE : 0));
	atomic_store_explicit(&lru->young[i], 0, memory_order_relaxed);
	m->slow->lru_index[pfn] = index;
	list_link(lru, zone, page, l, false);
	/* before the unlock: once on the list, reclaim may free the page at once */
	lru_account(zone, l, nr);
	mod_node_page_state(lru, file ? NR_FILE_PAGES : NR_ANON_MAPPED, nr);
	pthread_mutex_unlock(&lru->lock);
	if (flags & LRU_DIRTY)
		set_page_dirty(m, page);
}

void lru_add(struct page *page, int owner, unsigned flags)
{
	__lru_add(current_machine(), page, owner, flags);
}

uint32_t lru_page_index(struct machine *m, const struct page *page)
{
	return m->slow->lru_index[__page_to_pfn(m, page)];
}

unsigned long workingset_eviction(struct machine *m, struct page *page)
{
	struct zone *zone = page_zone(m, page);

	return atomic_fetch_add(&node_lru(m, zone->node)->inactive_age, 1) + 1;
}

static const struct lru_aging lru_agings[] = {
	[RECLAIM_LRU_4_12] = { .anon_starts_active = true, .anon_ratio_sqrt = true },
	[RECLAIM_LRU_5_9] = { .cost_balance = true, .io_cost = 1, .workingset_counts_anon = true },
	[RECLAIM_LRU_6_2] = { .cost_balance = true, .io_cost = SWAP_CLUSTER_MAX, .rotation_cost = 1,
			      .workingset_counts_anon = true },
};

const struct lru_aging *lru_aging(const struct machine *m)
{
	return &lru_agings[m->pcp_policy->reclaim_lru];
}

static unsigned long lru_total_locked(struct lru_node *lru)
{
	unsigned long n = 0;

	for (int l = 0; l < LRU_UNEVICTABLE; l++)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			n += lru->nr[l][z];
	return n;
}

void lru_note_cost_locked(struct machine *m, struct lru_node *lru, bool file, unsigned long nr_io,
			  unsigned long nr_rotated)
{
	const struct lru_aging *a = lru_aging(m);
	unsigned long cost = nr_io * a->io_cost + nr_rotated * a->rotation_cost;

	if (!cost)
		return;
	lru->cost[file] += cost;
	/* decay: a floating average that weighs recent events more (and cannot overflow) */
	if (lru->cost[0] + lru->cost[1] > lru_total_locked(lru) / 4) {
		lru->cost[0] /= 2;
		lru->cost[1] /= 2;
	}
}

void lru_note_cost_refault(struct machine *m, int nid, bool file, unsigned long nr)
{
	struct lru_node *lru = node_lru(m, nid);

	pthread_mutex_lock(&lru->lock);
	lru_note_cost_locked(m, lru, file, nr, 0);
	pthread_mutex_unlock(&lru->lock);
}

void snapshot_refaults(struct machine *m, int nid)
{
	struct lru_node *lru = node_lru(m, nid);

	pthread_mutex_lock(&lru->lock);
	lru->refaults[0] = node_page_state(lru, WORKINGSET_ACTIVATE_ANON);
	lru->refaults[1] = node_page_state(lru, WORKINGSET_ACTIVATE_FILE);
	pthread_mutex_unlock(&lru->lock);
}

/*
 * The refault distance (inactive_age now - at eviction) against the workingset: the active
 * file list (4.12), and from 5.8 the anon lists too when there is swap ("mm: workingset: let
 * cache workingset challenge anon"). An activation is a cost of the file type (5.8+, which
 * charges refaults of pages that were active: every activation here).
 */
bool workingset_refault(struct machine *m, int nid, unsigned long shadow)
{
	struct lru_node *lru = node_lru(m, nid);
	unsigned long distance = atomic_load(&lru->inactive_age) - shadow, ws = 0;
	bool anon = lru_aging(m)->workingset_counts_anon && swap_configured(m);

	mod_node_page_state(lru, WORKINGSET_REFAULT_FILE, 1);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &m->node_data[nid]->node_zones[z];
		ws += (unsigned long)zone_page_state_snapshot(zone, NR_ZONE_ACTIVE_FILE);
		if (anon)
			ws += (unsigned long)(zone_page_state_snapshot(zone, NR_ZONE_ACTIVE_ANON) +
					      zone_page_state_snapshot(zone, NR_ZONE_INACTIVE_ANON));
	}
	if (distance > ws)
		return false;
	mod_node_page_state(lru, WORKINGSET_ACTIVATE_FILE, 1);
	atomic_fetch_add(&lru->inactive_age, 1);        /* workingset_activation */
	lru_note_cost_refault(m, nid, true, 1);
	return true;
}

/* Under lru->lock: the frame leaves the LRU for good; its counters go with it. */
static void lru_forget_locked(struct machine *m, struct lru_node *lru, struct zone *zone, struct page *page,
			      unsigned st)
{
	long nr = 1L << page->order;

	lru->state[lru_idx(lru, m, page)] = 0;
	WRITE_ONCE(page->flags, (uint8_t)PG_head);
	page->private = 0;
	lru_account(zone, (enum lru_list)ls_lru(st), -nr);
	mod_node_page_state(lru, (st & LS_SWAPCACHE) ? NR_SWAPCACHE :
				 is_file_lru((enum lru_list)ls_lru(st)) ? NR_FILE_PAGES : NR_ANON_MAPPED, -nr);
	if (st & LS_DIRTY) {
		mod_node_page_state(lru, NR_FILE_DIRTY, -nr);
		__mod_zone_page_state(zone, NR_ZONE_WRITE_PENDING, -nr);
	}
}

void lru_remove_locked(struct machine *m, struct lru_node *lru, struct zone *zone, struct page *page)
{
	unsigned st = lru->state[lru_idx(lru, m, page)];

	list_unlink(lru, zone, page, (enum lru_list)ls_lru(st));
	lru_forget_locked(m, lru, zone, page, st);
}

bool __lru_del(struct machine *m, struct page *page)
{
	struct zone *zone = page_zone(m, page);

	if (!zone)
		return false;
	struct lru_node *lru = node_lru(m, zone->node);
	unsigned long i = lru_idx(lru, m, page);
	pthread_mutex_lock(&lru->lock);
	for (;;) {
		unsigned st = lru->state[i];
		if (!st || (st & LS_ISOLATED)) {
			pthread_mutex_unlock(&lru->lock);
			return false;
		}
		if (!(st & LS_WRITEBACK)) {
			lru_remove_locked(m, lru, zone, page);
			pthread_mutex_unlock(&lru->lock);
			return true;
		}
		/* wait_on_page_writeback, as truncate does */
		pthread_mutex_unlock(&lru->lock);
		writeback_wait_page(m, page);
		pthread_mutex_lock(&lru->lock);
	}
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
	for (int l = 0; l < NR_LRU_LISTS; l++)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			n += lru->nr[l][z];
	pthread_mutex_unlock(&lru->lock);
	return n;
}

void page_mark_young(struct machine *m, struct page *page)
{
	unsigned long pfn = __page_to_pfn(m, page);

	if (pfn < m->max_pfn)   /* the machine-wide array every node's lru->young is */
		atomic_store_explicit(&m->slow->lru_young[pfn], 1, memory_order_relaxed);
}

void lru_move_locked(struct lru_node *lru, struct zone *zone, struct page *page, enum lru_list to, bool tail)
{
	struct machine *m = zone->zone_pgdat->machine;
	unsigned long i = lru_idx(lru, m, page);
	unsigned st = lru->state[i];
	enum lru_list from = (enum lru_list)ls_lru(st);
	long nr = 1L << page->order;

	list_unlink(lru, zone, page, from);
	list_link(lru, zone, page, to, tail);
	lru->state[i] = (uint16_t)((st & ~LS_LRU_MASK) | (to + 1));
	if (from != to) {
		lru_account(zone, from, -nr);
		lru_account(zone, to, nr);
	}
}

/*
 * mark_page_accessed (4.12): inactive and referenced -> active (activate_page, pgactivate,
 * and a file page's workingset_activation ages the inactive list); else referenced.
 */
void mark_page_accessed(struct machine *m, struct page *page)
{
	struct zone *zone = page_zone(m, page);

	if (!zone)
		return;
	struct lru_node *lru = node_lru(m, zone->node);
	unsigned long i = lru_idx(lru, m, page);
	pthread_mutex_lock(&lru->lock);
	unsigned st = lru->state[i];
	if (st && !is_active_lru((enum lru_list)ls_lru(st)) && ls_lru(st) != LRU_UNEVICTABLE && (st & LS_REFERENCED)) {
		lru->state[i] = (uint16_t)(st & ~LS_REFERENCED);
		if (!(st & LS_ISOLATED)) {
			enum lru_list to = ls_lru(st) == LRU_INACTIVE_FILE ? LRU_ACTIVE_FILE : LRU_ACTIVE_ANON;
			lru_move_locked(lru, zone, page, to, false);
			count_vm_event(PGACTIVATE);
			if (to == LRU_ACTIVE_FILE)
				atomic_fetch_add(&lru->inactive_age, 1);       /* workingset_activation */
		}
	} else if (st && !(st & LS_REFERENCED)) {
		lru->state[i] = (uint16_t)(st | LS_REFERENCED);
	}
	pthread_mutex_unlock(&lru->lock);
}

/* Under lru->lock: unlink; the state keeps its bits plus LS_ISOLATED (nr_isolated_*). */
void lru_isolate_locked(struct lru_node *lru, struct zone *zone, struct page *page)
{
	struct machine *m = zone->zone_pgdat->machine;
	unsigned long i = lru_idx(lru, m, page);
	unsigned st = lru->state[i];
	enum lru_list l = (enum lru_list)ls_lru(st);

	list_unlink(lru, zone, page, l);
	lru->state[i] = (uint16_t)(st | LS_ISOLATED);
	mod_node_page_state(lru, is_file_lru(l) ? NR_ISOLATED_FILE : NR_ISOLATED_ANON, 1L << page->order);
}

void __lru_putback_locked(struct lru_node *lru, struct zone *zone, struct page *page, bool tail)
{
	struct machine *m = zone->zone_pgdat->machine;
	unsigned long i = lru_idx(lru, m, page);
	unsigned st = lru->state[i] & ~LS_ISOLATED;
	enum lru_list l = (enum lru_list)ls_lru(st);

	lru->state[i] = (uint16_t)st;
	list_link(lru, zone, page, l, tail);
	mod_node_page_state(lru, is_file_lru(l) ? NR_ISOLATED_FILE : NR_ISOLATED_ANON, -(1L << page->order));
}

void lru_putback(struct machine *m, struct page *page)
{
	struct zone *zone = page_zone(m, page);
	struct lru_node *lru = node_lru(m, zone->node);

	pthread_mutex_lock(&lru->lock);
	__lru_putback_locked(lru, zone, page, false);   /* rotated: the newest again */
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
	unsigned st = lru->state[pfn - lru->start_pfn];
	mod_node_page_state(lru, is_file_lru((enum lru_list)ls_lru(st)) ? NR_ISOLATED_FILE : NR_ISOLATED_ANON,
			    -(1L << order));
	lru_forget_locked(m, lru, zone, page, st);
	pthread_mutex_unlock(&lru->lock);
	if (!free_pages_prepare(m, page, order))
		return;
	count_vm_events(PGFREE, 1L << order);
	free_one_page(zone, page, pfn, order, get_pageblock_migratetype_pfn(m, pfn));
}

void lru_migrate(struct machine *m, struct page *from, struct page *to)
{
	struct zone *zone = page_zone(m, from);
	struct lru_node *lru = node_lru(m, zone->node);
	unsigned long fi = lru_idx(lru, m, from), ti = lru_idx(lru, m, to);

	pthread_mutex_lock(&lru->lock);
	unsigned st = lru->state[fi] & ~LS_ISOLATED;
	enum lru_list l = (enum lru_list)ls_lru(st);
	to->private = from->private;
	WRITE_ONCE(to->flags, (uint8_t)(PG_head | PG_lru | (from->flags & PG_movable)));
	lru->state[ti] = (uint16_t)st;
	m->slow->lru_index[__page_to_pfn(m, to)] = m->slow->lru_index[__page_to_pfn(m, from)];
	atomic_store_explicit(&lru->young[ti], atomic_load_explicit(&lru->young[fi], memory_order_relaxed),
			      memory_order_relaxed);
	list_link(lru, zone, to, l, false);
	mod_node_page_state(lru, is_file_lru(l) ? NR_ISOLATED_FILE : NR_ISOLATED_ANON, -1);
	lru->state[fi] = 0;
	WRITE_ONCE(from->flags, (uint8_t)PG_head);
	from->private = 0;
	pthread_mutex_unlock(&lru->lock);
}

/*
 * check_lru: every LRU list well formed (allocated block heads of this zone, page flags
 * and state agreeing, counts right), and no state set for a page on no list. Callers
 * quiesce the machine (no reclaim, compaction or owner calls meanwhile).
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
			for (int l = 0; l < NR_LRU_LISTS; l++) {
				struct pagelist *pl = &lru->lists[l][z];
				uint32_t prev = PAGE_NIL;
				unsigned long n = 0, pages = 0;
				for (uint32_t i = pl->head; i != PAGE_NIL; i = idx_page(zone, i)->next) {
					struct page *p = idx_page(zone, i);
					unsigned long pfn = zone->zone_start_pfn + i;
					unsigned st = lru->state[pfn - lru->start_pfn];
					bool movable = st & LS_MOVABLE;
					if (++n > zone->spanned_pages) {
						snprintf(err, errlen, "%d:%s LRU list %d has a cycle", nid, zone->name, l);
						goto fail;
					}
					if ((p->flags & (PG_head | PG_lru)) != (PG_head | PG_lru) || !!(p->flags & PG_movable) != movable ||
					    (st & LS_ISOLATED) || ls_lru(st) != (unsigned)l || p->prev != prev ||
					    (!(st & LS_SWAPCACHE) && !p->private) || ((st & LS_DIRTY) && !is_file_lru((enum lru_list)l))) {
						snprintf(err, errlen, "%d:%s LRU %d pfn %#lx: flags %#x state %#x owner %u", nid, zone->name,
							 l, pfn, p->flags, st, p->private);
						goto fail;
					}
					pages += 1UL << p->order;
					prev = i;
				}
				if (pl->tail != prev) {
					snprintf(err, errlen, "%d:%s LRU list %d tail link is wrong", nid, zone->name, l);
					goto fail;
				}
				if (pages != lru->nr[l][z]) {
					snprintf(err, errlen, "%d:%s LRU %d holds %lu pages, its count says %lu", nid, zone->name, l,
						 pages, lru->nr[l][z]);
					goto fail;
				}
				listed += n;
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
