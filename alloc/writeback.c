// SPDX-License-Identifier: GPL-2.0
/*
 * writeback.c - dirty pages, writeback and swap (Linux 4.12's mm/page-writeback.c,
 * mm/page_io.c and mm/swapfile.c, cut down) on two modelled block devices: the file
 * system's disk and the swap device, each a FIFO queue with a bandwidth (pages go out
 * back to back) and a latency per I/O (the machine description's --disk-mbps,
 * --disk-latency-us, --swap-latency-us). An I/O completes at a time on the real clock, or
 * in virtual time when the simulator runs (mm_now_ns); completions are taken whenever
 * reclaim, the flusher or a waiter looks (there is no interrupt), which is when anything
 * could see them.
 *
 *   set_page_dirty         a file page written: nr_dirty, the flusher's FIFO, then
 *                          balance_dirty_pages (the writer waits above vm.dirty_ratio)
 *   the flusher            above vm.dirty_background_ratio, the oldest dirty pages are
 *                          written back (wb_start_background); reclaim wakes it too
 *   pageout                reclaim starts writeback of one page (kswapd's file pages,
 *                          every swap-cache page)
 *   end_page_writeback     clean; a PG_reclaim page rotates to its inactive list's tail
 *                          (rotate_reclaimable_page, pgrotated) to be freed next
 *   swap                   slots in a bitmap; the swap cache maps a slot to the page
 *                          being written, until reclaim frees it; swapin takes it back
 *                          from there or reads the slot into a new page (pswpin)
 *
 * Not modelled: per-bdi writeback bandwidth estimation and the dirty pause curve
 * (the writer waits only above the hard threshold), readahead, swap clustering, zswap.
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc/internal.h"
#include "alloc/page_alloc.h"
#include "alloc/reclaim.h"
#include "alloc/vmstat.h"

#define SLOT_NONE       (~0UL)

uint64_t mm_now_ns(void)
{
#ifdef PAGEALLOC_VTIME
	if (vt_current)
		return vt_current->clock / 1000;
#endif
	return now_ns();
}

void mm_wait_until(uint64_t t)
{
#ifdef PAGEALLOC_VTIME
	if (vt_current) {
		if (vt_current->clock < t * 1000)
			vt_current->clock = t * 1000;
		return;
	}
#endif
	struct timespec ts = { (time_t)(t / 1000000000ull), (long)(t % 1000000000ull) };
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static void dev_init(struct blockdev *d, int latency_us, int mbps)
{
	pthread_mutex_init(&d->lock, NULL);
	d->latency_ns = (uint64_t)latency_us * 1000;
	d->ns_per_page = (uint64_t)PAGE_SIZE * 1000 / (uint64_t)(mbps > 0 ? mbps : 1);     /* MB/s: bytes per us */
}

/* Queue one page's I/O: it goes out after everything before it. Returns its completion. */
static uint64_t dev_submit(struct blockdev *d, unsigned long pfn, bool track)
{
	uint64_t now = mm_now_ns();

	pthread_mutex_lock(&d->lock);
	uint64_t start = d->busy_until > now ? d->busy_until : now;
	d->busy_until = start + d->ns_per_page;
	uint64_t done = d->busy_until + d->latency_ns;
	if (track) {
		if (d->tail - d->head == d->cap) {
			unsigned long ncap = d->cap ? 2 * d->cap : 256;
			struct bio *nr = malloc(ncap * sizeof(*nr));
			for (unsigned long i = 0; i < d->cap; i++)
				nr[i] = d->ring[(d->head + i) % d->cap];
			free(d->ring);
			d->ring = nr;
			d->tail -= d->head;
			d->head = 0;
			d->cap = ncap;
		}
		d->ring[d->tail++ % d->cap] = (struct bio){ done, pfn };
		d->ios++;
	}
	pthread_mutex_unlock(&d->lock);
	return done;
}

/* 128 I/Os in flight or more: the device is congested (inode_write_congested). */
bool blockdev_congested(struct blockdev *d)
{
	pthread_mutex_lock(&d->lock);
	bool c = d->tail - d->head >= 128;
	pthread_mutex_unlock(&d->lock);
	return c;
}

/* The earliest completion in flight, or 0 when none is. */
static uint64_t dev_next(struct blockdev *d)
{
	pthread_mutex_lock(&d->lock);
	uint64_t t = d->tail != d->head ? d->ring[d->head % d->cap].done : 0;
	pthread_mutex_unlock(&d->lock);
	return t;
}

/* end_page_writeback, under the page's lru->lock. */
static void end_page_writeback_locked(struct machine *m, struct lru_node *lru, unsigned long pfn)
{
	unsigned long i = pfn - lru->start_pfn;
	unsigned st = lru->state[i];
	struct page *page = __pfn_to_page(m, pfn);
	struct zone *zone = page_zone(m, page);

	if (!(st & LS_WRITEBACK))
		return;
	st &= ~LS_WRITEBACK;
	mod_node_page_state(lru, NR_WRITEBACK, -1);
	mod_node_page_state(lru, NR_WRITTEN, 1);
	__mod_zone_page_state(zone, NR_ZONE_WRITE_PENDING, -1);
	if (st & LS_RECLAIM) {
		st &= ~LS_RECLAIM;
		lru->state[i] = (uint16_t)st;
		/* rotate_reclaimable_page: to the inactive tail, where reclaim frees it next */
		if (!(st & LS_ISOLATED) && !is_active_lru((enum lru_list)ls_lru(st))) {
			lru_move_locked(lru, zone, page, (enum lru_list)ls_lru(st), true);
			count_vm_event(PGROTATED);
		}
		return;
	}
	lru->state[i] = (uint16_t)st;
}

static void dev_complete(struct machine *m, struct blockdev *d, uint64_t now)
{
	for (;;) {
		unsigned long pfns[64];
		int n = 0;
		pthread_mutex_lock(&d->lock);
		while (n < 64 && d->tail != d->head && d->ring[d->head % d->cap].done <= now)
			pfns[n++] = d->ring[d->head++ % d->cap].pfn;
		pthread_mutex_unlock(&d->lock);
		for (int k = 0; k < n; k++) {
			struct zone *zone = pfn_zone(m, pfns[k]);
			struct lru_node *lru = zone->zone_pgdat->lru;
			pthread_mutex_lock(&lru->lock);
			end_page_writeback_locked(m, lru, pfns[k]);
			pthread_mutex_unlock(&lru->lock);
		}
		if (n < 64)
			return;
	}
}

void writeback_complete(struct machine *m)
{
	struct writeback_state *wb = m->slow->wb;
	uint64_t now = mm_now_ns();

	dev_complete(m, &wb->disk, now);
	dev_complete(m, &wb->swap, now);
}

/* congestion_wait: until the next I/O completes, at most max_ns; false when none is in flight. */
bool writeback_wait_any(struct machine *m, uint64_t max_ns)
{
	struct writeback_state *wb = m->slow->wb;
	uint64_t a = dev_next(&wb->disk), b = dev_next(&wb->swap), now = mm_now_ns();
	uint64_t t = !a ? b : !b ? a : a < b ? a : b;

	if (!t)
		return false;
	if (t > now + max_ns)
		t = now + max_ns;
	mm_wait_until(t);
	writeback_complete(m);
	return true;
}

void writeback_wait_page(struct machine *m, struct page *page)
{
	struct zone *zone = page_zone(m, page);
	struct lru_node *lru = zone->zone_pgdat->lru;
	unsigned long i = __page_to_pfn(m, page) - lru->start_pfn;

	for (;;) {
		pthread_mutex_lock(&lru->lock);
		bool busy = lru->state[i] & LS_WRITEBACK;
		pthread_mutex_unlock(&lru->lock);
		if (!busy || !writeback_wait_any(m, 100000000ull))
			return;
	}
}

/*
 * pageout's half under lru->lock: clear_page_dirty_for_io, PG_writeback, and the I/O on
 * the page's device (the swap device for a swap-cache page). Returns the completion time.
 */
uint64_t writeback_start_locked(struct machine *m, struct lru_node *lru, struct page *page)
{
	struct writeback_state *wb = m->slow->wb;
	unsigned long pfn = __page_to_pfn(m, page), i = pfn - lru->start_pfn;
	unsigned st = lru->state[i];

	if (st & LS_DIRTY) {
		mod_node_page_state(lru, NR_FILE_DIRTY, -1);
		__mod_zone_page_state(page_zone(m, page), NR_ZONE_WRITE_PENDING, -1);
	}
	lru->state[i] = (uint16_t)((st & ~LS_DIRTY) | LS_WRITEBACK);
	mod_node_page_state(lru, NR_WRITEBACK, 1);
	__mod_zone_page_state(page_zone(m, page), NR_ZONE_WRITE_PENDING, 1);
	return dev_submit((st & LS_SWAPCACHE) ? &wb->swap : &wb->disk, pfn, true);
}

/* --- dirty pages and the flusher --- */

static void dirty_fifo_push(struct writeback_state *wb, unsigned long pfn)
{
	pthread_mutex_lock(&wb->lock);
	if (wb->dtail - wb->dhead == wb->dcap) {
		unsigned long ncap = wb->dcap ? 2 * wb->dcap : 1024;
		unsigned long *n = malloc(ncap * sizeof(*n));
		for (unsigned long k = 0; k < wb->dcap; k++)
			n[k] = wb->dirty[(wb->dhead + k) % wb->dcap];
		free(wb->dirty);
		wb->dirty = n;
		wb->dtail -= wb->dhead;
		wb->dhead = 0;
		wb->dcap = ncap;
	}
	wb->dirty[wb->dtail++ % wb->dcap] = pfn;
	pthread_mutex_unlock(&wb->lock);
}

static long node_sum(struct machine *m, enum node_stat_item item)
{
	long v = 0;

	for (int nid = 0; nid < m->nr_nodes; nid++)
		v += node_page_state(m->node_data[nid]->lru, item);
	return v;
}

/*
 * global_dirty_limits (4.12): of the dirtyable memory (free pages above the reserves, plus
 * the file LRUs), vm.dirty_ratio % may be dirty and vm.dirty_background_ratio % starts
 * the flusher (half the limit when it is not below it).
 */
void global_dirty_limits(struct machine *m, unsigned long *background, unsigned long *dirty)
{
	long avail = 0;

	for_each_zone(m, zone) {
		if (!managed_zone(zone))
			continue;
		long reserve = (long)high_wmark_pages(zone), maxr = 0;
		for (int j = 0; j < MAX_NR_ZONES; j++)
			if (zone->lowmem_reserve[j] > maxr)
				maxr = zone->lowmem_reserve[j];
		long free = zone_page_state(zone, NR_FREE_PAGES) - reserve - maxr;
		avail += free > 0 ? free : 0;
		avail += zone_page_state(zone, NR_ZONE_INACTIVE_FILE) + zone_page_state(zone, NR_ZONE_ACTIVE_FILE);
	}
	unsigned long d = (unsigned long)avail * (unsigned)m->desc.dirty_ratio / 100;
	unsigned long bg = (unsigned long)avail * (unsigned)m->desc.dirty_background_ratio / 100;
	if (bg >= d)
		bg = d / 2;
	*background = bg;
	*dirty = d;
}

/* The flusher: write back the oldest dirty pages, up to nr (0: until below the background threshold). */
void wb_start_background(struct machine *m, unsigned long nr)
{
	struct writeback_state *wb = m->slow->wb;
	unsigned long bg, thresh, done = 0;

	global_dirty_limits(m, &bg, &thresh);
	while (nr ? done < nr : (unsigned long)node_sum(m, NR_FILE_DIRTY) > bg) {
		pthread_mutex_lock(&wb->lock);
		if (wb->dtail == wb->dhead) {
			pthread_mutex_unlock(&wb->lock);
			return;
		}
		unsigned long pfn = wb->dirty[wb->dhead++ % wb->dcap];
		pthread_mutex_unlock(&wb->lock);
		struct zone *zone = pfn_zone(m, pfn);
		struct lru_node *lru = zone->zone_pgdat->lru;
		pthread_mutex_lock(&lru->lock);
		unsigned st = lru->state[pfn - lru->start_pfn];
		if ((st & LS_DIRTY) && !(st & LS_WRITEBACK)) {
			if (st & LS_ISOLATED) {
				pthread_mutex_unlock(&lru->lock);
				dirty_fifo_push(wb, pfn);       /* reclaim has it: later */
				return;
			}
			writeback_start_locked(m, lru, __pfn_to_page(m, pfn));
			done++;
		}
		pthread_mutex_unlock(&lru->lock);
	}
}

/*
 * balance_dirty_pages, cut down: above the background threshold the flusher runs; above
 * vm.dirty_ratio the writer waits for writeback to bring it back under (the kernel's
 * pause curve between the two is not modelled).
 */
void balance_dirty_pages(struct machine *m)
{
	unsigned long bg, thresh;

	writeback_complete(m);
	global_dirty_limits(m, &bg, &thresh);
	if ((unsigned long)node_sum(m, NR_FILE_DIRTY) > bg)
		wb_start_background(m, 0);
	for (int i = 0; i < 1000; i++) {
		global_dirty_limits(m, &bg, &thresh);
		if ((unsigned long)(node_sum(m, NR_FILE_DIRTY) + node_sum(m, NR_WRITEBACK)) <= thresh)
			return;
		wb_start_background(m, SWAP_CLUSTER_MAX);
		if (!writeback_wait_any(m, 100000000ull))
			return;
	}
}

bool __set_page_dirty(struct machine *m, struct page *page)
{
	struct zone *zone = page_zone(m, page);
	struct lru_node *lru = zone->zone_pgdat->lru;
	unsigned long pfn = __page_to_pfn(m, page), i = pfn - lru->start_pfn;

	pthread_mutex_lock(&lru->lock);
	unsigned st = lru->state[i];
	bool newly = st && is_file_lru((enum lru_list)ls_lru(st)) && !(st & LS_DIRTY);
	if (newly) {
		lru->state[i] = (uint16_t)(st | LS_DIRTY);
		mod_node_page_state(lru, NR_FILE_DIRTY, 1);
		mod_node_page_state(lru, NR_DIRTIED, 1);
		__mod_zone_page_state(zone, NR_ZONE_WRITE_PENDING, 1);
	}
	pthread_mutex_unlock(&lru->lock);
	if (newly)
		dirty_fifo_push(m->slow->wb, pfn);
	return newly;
}

void set_page_dirty(struct machine *m, struct page *page)
{
	if (__set_page_dirty(m, page))
		balance_dirty_pages(m);
}

/* --- swap --- */

bool swap_configured(struct machine *m) { return m->slow->wb->nr_slots != 0; }

unsigned long nr_swap_pages(struct machine *m)
{
	struct writeback_state *wb = m->slow->wb;

	pthread_mutex_lock(&wb->swap_lock);
	unsigned long n = wb->free_slots;
	pthread_mutex_unlock(&wb->swap_lock);
	return n;
}

/* get_swap_page: a free slot, taken into the swap cache for pfn; -1 when swap is full. */
long get_swap_page(struct machine *m, unsigned long pfn)
{
	struct writeback_state *wb = m->slow->wb;
	long slot = -1;

	pthread_mutex_lock(&wb->swap_lock);
	for (unsigned long n = 0; wb->free_slots && n < wb->nr_slots; n++) {
		unsigned long s = wb->cursor;
		wb->cursor = (wb->cursor + 1) % wb->nr_slots;
		if (wb->slot_pfn[s] == SLOT_NONE && !(wb->used[s / 64] & (1ull << (s % 64)))) {
			wb->used[s / 64] |= 1ull << (s % 64);
			wb->slot_pfn[s] = pfn;
			wb->free_slots--;
			slot = (long)s;
			break;
		}
	}
	pthread_mutex_unlock(&wb->swap_lock);
	return slot;
}

/* The swap cache lets go of the slot's page (it was freed, or taken back). */
void swap_cache_drop(struct machine *m, unsigned long slot, unsigned long pfn)
{
	struct writeback_state *wb = m->slow->wb;

	pthread_mutex_lock(&wb->swap_lock);
	if (slot < wb->nr_slots && wb->slot_pfn[slot] == pfn)
		wb->slot_pfn[slot] = SLOT_NONE;
	pthread_mutex_unlock(&wb->swap_lock);
}

void swap_free(struct machine *m, unsigned long slot)
{
	struct writeback_state *wb = m->slow->wb;

	pthread_mutex_lock(&wb->swap_lock);
	if (slot < wb->nr_slots && (wb->used[slot / 64] & (1ull << (slot % 64)))) {
		wb->used[slot / 64] &= ~(1ull << (slot % 64));
		wb->slot_pfn[slot] = SLOT_NONE;
		wb->free_slots++;
	}
	pthread_mutex_unlock(&wb->swap_lock);
}

/*
 * do_swap_page's part: the slot's page from the swap cache (no I/O), or a new page read in
 * from the swap device (a major fault: pswpin, pgmajfault, workingset_refault_anon; the
 * caller waits for the read). The slot is freed either way; the page is the caller's,
 * off the LRU (it adds it back as anon). NULL: no memory.
 */
struct page *swapin(struct machine *m, unsigned long slot, gfp_t gfp)
{
	struct writeback_state *wb = m->slow->wb;

	for (int tries = 0;; tries++) {
		pthread_mutex_lock(&wb->swap_lock);
		unsigned long pfn = slot < wb->nr_slots ? wb->slot_pfn[slot] : SLOT_NONE;
		pthread_mutex_unlock(&wb->swap_lock);
		if (pfn == SLOT_NONE)
			break;
		struct page *page = __pfn_to_page(m, pfn);
		struct zone *zone = page_zone(m, page);
		struct lru_node *lru = zone->zone_pgdat->lru;
		unsigned long i = pfn - lru->start_pfn;
		pthread_mutex_lock(&lru->lock);
		unsigned st = lru->state[i];
		if ((st & LS_SWAPCACHE) && page->private == slot && !(st & (LS_ISOLATED | LS_WRITEBACK))) {
			/* a swap-cache hit: the page leaves the LRU and comes back as the caller's */
			lru_remove_locked(m, lru, zone, page);
			pthread_mutex_unlock(&lru->lock);
			swap_free(m, slot);
			return page;
		}
		pthread_mutex_unlock(&lru->lock);
		/* reclaim has it isolated, or its write is in flight: wait for either */
		if (st & LS_WRITEBACK)
			writeback_wait_page(m, page);
		else if (tries > 1000)
			break;
		else
			sched_yield();
	}
	struct page *page = alloc_pages(gfp, 0);
	if (!page)
		return NULL;
	mm_wait_until(dev_submit(&wb->swap, 0, false));         /* swap_readpage, synchronous */
	count_vm_event(PSWPIN);
	count_vm_event(PGMAJFAULT);
	mod_node_page_state(page_zone(m, page)->zone_pgdat->lru, WORKINGSET_REFAULT_ANON, 1);
	/* an I/O cost of the anon type (5.8 counts every swap-in; 5.9's anon shadow entries,
	 * which would count only workingset refaults, are not modelled) */
	lru_note_cost_refault(m, page_zone(m, page)->node, false, 1);
	swap_free(m, slot);
	return page;
}

int writeback_init(struct machine *m)
{
	struct writeback_state *wb = calloc(1, sizeof(*wb));
	const struct machine_desc *d = &m->desc;

	if (!wb)
		return -1;
	pthread_mutex_init(&wb->lock, NULL);
	pthread_mutex_init(&wb->swap_lock, NULL);
	dev_init(&wb->disk, d->disk_latency_us, d->disk_mbps);
	dev_init(&wb->swap, d->swap_latency_us, d->disk_mbps);
	wb->nr_slots = d->swap_pages;
	if (wb->nr_slots) {
		wb->used = calloc((wb->nr_slots + 63) / 64, sizeof(*wb->used));
		wb->slot_pfn = malloc(wb->nr_slots * sizeof(*wb->slot_pfn));
		if (!wb->used || !wb->slot_pfn) {
			free(wb->used);
			free(wb->slot_pfn);
			free(wb);
			return -1;
		}
		memset(wb->slot_pfn, 0xff, wb->nr_slots * sizeof(*wb->slot_pfn));
	}
	wb->free_slots = wb->nr_slots;
	m->slow->wb = wb;
	return 0;
}

void writeback_exit(struct machine *m)
{
	struct writeback_state *wb = m->slow ? m->slow->wb : NULL;

	if (!wb)
		return;
	free(wb->disk.ring);
	free(wb->swap.ring);
	free(wb->dirty);
	free(wb->used);
	free(wb->slot_pfn);
	pthread_mutex_destroy(&wb->disk.lock);
	pthread_mutex_destroy(&wb->swap.lock);
	pthread_mutex_destroy(&wb->lock);
	pthread_mutex_destroy(&wb->swap_lock);
	free(wb);
	m->slow->wb = NULL;
}
