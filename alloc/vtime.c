// SPDX-License-Identifier: GPL-2.0
/*
 * vtime.c - the hooks' out-of-line halves (see vtime.h): zone->lock as a queue in virtual
 * time, the cache lines CPUs hand each other, a pcp lock held by a remote CPU, kswapd's
 * wakeups.  Compiled into both flavours; everything but the step names is vtime-only.
 *
 * zone->lock.  Each lock keeps its reserved intervals [start, end) of virtual time, sorted
 * and disjoint.  A request at time t that falls inside one is queued behind it: the CPU's
 * clock moves to the interval's end plus lock_handoff (the MCS hand-off), and so on along
 * back-to-back holds, which is the qspinlock's FIFO order.  A request in a gap gets the
 * lock at once.  The hold [grant, release) is reserved at unlock.  Operations run whole,
 * in the order of their start times, so a request is ordered by its operation's start,
 * not by its own time: an error bounded by the work an operation does before it takes the
 * lock (tens of ns; vtime/README.md).  Intervals that end before every CPU's clock are
 * dropped.
 *
 * Lines.  A zone's free counter and its free_area heads (one line per order), and every
 * struct page (the kernel's are 64 bytes, a line each), remember the CPU that wrote them
 * last.  Writing or reading a line another CPU wrote costs line_socket or line_remote by
 * the two CPUs' sockets.  A zone line also counts its writes, and a CPU that has read the
 * current version reads it again for free (read sharing); a struct page is taken on a
 * read as on a write (the buddy a merge reads is usually written next).  A struct page
 * this CPU wrote last (or nobody has) comes from memory - line_memory - when nothing in its
 * 4 KiB of mem_map (64 kernel struct pages) was touched within cache_window and it is not
 * next to the one touched before: the L2 streamer prefetches within a page of mem_map, so
 * a walk through a block's struct pages misses once, a random free twice (page, buddy).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/internal.h"
#include "alloc/vtime.h"

const char *const vt_step_key[VT_NR_STEPS] = {
#define VT_STEP_KEY(name, key, what) #key,
	VT_STEPS(VT_STEP_KEY)
#undef VT_STEP_KEY
};
const char *const vt_step_what[VT_NR_STEPS] = {
#define VT_STEP_WHAT(name, key, what) what,
	VT_STEPS(VT_STEP_WHAT)
#undef VT_STEP_WHAT
};

#ifdef PAGEALLOC_VTIME

__thread struct vt_cpu *vt_current;
struct vt_costs vt_cost;

_Static_assert(VT_ZONE_LINES == VT_LINE_AREA + MAX_ORDER, "a zone line per order");
#define NR_VT_ZONES     (MAX_NUMNODES * MAX_NR_ZONES)

static struct {
	struct machine *m;
	uint16_t *socket_of;            /* [thread id] */
	int nr_cpus, nr_threads;        /* threads: CPUs + one kswapd per node */
	uint64_t now;
	struct vt_zone *zones[NR_VT_ZONES];
	uint64_t kswapd_woken[MAX_NUMNODES];
	uint64_t kswapd_wakes;
} W;

static inline struct vt_zone *vz(const struct zone *zone)
{
	return zone->vt;
}

static inline void charge_line(struct vt_cpu *c, uint16_t writer)
{
	if (writer == VT_NO_CPU || writer == c->id)
		return;
	vt_charge(W.socket_of[writer] == c->socket ? VT_LINE_SOCKET : VT_LINE_REMOTE, 1);
}

int vt_world_init(struct machine *m, const uint16_t *socket_of, int nr_cpus, int nr_threads,
		  const struct vt_costs *costs, char *err, size_t errlen)
{
	int threads = nr_threads;

	vt_world_exit();
	if (threads >= (int)VT_NO_CPU || nr_cpus > threads || nr_cpus < 1)
		return errf(err, errlen, "vtime: %d CPUs of %d threads; at most %u threads", nr_cpus, threads, VT_NO_CPU - 1);
	W.m = m;
	W.socket_of = malloc((size_t)threads * sizeof(*W.socket_of));
	if (!W.socket_of)
		return errf(err, errlen, "vtime: out of memory");
	memcpy(W.socket_of, socket_of, (size_t)threads * sizeof(*W.socket_of));
	W.nr_cpus = nr_cpus;
	W.nr_threads = threads;
	W.now = 0;
	vt_cost = *costs;
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		W.kswapd_woken[nid] = UINT64_MAX;
	for_each_zone(m, zone) {
		struct vt_zone *z = calloc(1, sizeof(*z));
		if (!z)
			goto oom;
		W.zones[zone->node * MAX_NR_ZONES + (int)zone->idx] = z;
		zone->vt = z;
		z->lock.last = VT_NO_CPU;
		for (int l = 0; l < VT_ZONE_LINES; l++)
			z->line[l].writer = VT_NO_CPU;
		z->nr_pages = zone->spanned_pages;
		z->seen = calloc((size_t)threads * VT_ZONE_LINES, sizeof(*z->seen));
		z->page_writer = malloc((z->nr_pages ? z->nr_pages : 1) * sizeof(*z->page_writer));
		z->page_touched = calloc((z->nr_pages >> VT_REGION_SHIFT) + 1, sizeof(*z->page_touched));
		z->pcp = calloc((size_t)nr_cpus, sizeof(*z->pcp));
		if (!z->seen || !z->page_writer || !z->page_touched || !z->pcp)
			goto oom;
		memset(z->page_writer, 0xff, (z->nr_pages ? z->nr_pages : 1) * sizeof(*z->page_writer));
	}
	return 0;
oom:
	vt_world_exit();
	return errf(err, errlen, "vtime: out of memory for the lines of %d CPUs", nr_cpus);
}

void vt_world_exit(void)
{
	if (W.m)
		for_each_zone(W.m, zone)
			zone->vt = NULL;
	for (int i = 0; i < NR_VT_ZONES; i++) {
		struct vt_zone *z = W.zones[i];
		if (!z)
			continue;
		free(z->lock.iv);
		free(z->seen);
		free(z->page_writer);
		free(z->page_touched);
		free(z->pcp);
		free(z);
		W.zones[i] = NULL;
	}
	W.m = NULL;
	free(W.socket_of);
	W.socket_of = NULL;
	vt_current = NULL;
}

void vt_world_set_now(uint64_t min_clock)
{
	W.now = min_clock;
}

/* --- zone->lock ---------------------------------------------------------------------- */

/* The last interval whose start is <= t, or -1. */
static long iv_find(const struct vt_lock *l, uint64_t t)
{
	long lo = l->lo, hi = (long)l->n - 1, ans = -1;

	while (lo <= hi) {
		long mid = (lo + hi) / 2;
		if (l->iv[mid].start <= t) {
			ans = mid;
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return ans;
}

static void iv_prune(struct vt_lock *l)
{
	while (l->lo < l->n && l->iv[l->lo].end <= W.now)
		l->lo++;
	if (l->lo && l->lo * 2 >= l->n) {
		memmove(l->iv, l->iv + l->lo, (l->n - l->lo) * sizeof(*l->iv));
		l->n -= l->lo;
		l->lo = 0;
	}
}

/* Reserve [s, e): merge with every interval it overlaps or touches. */
static void iv_insert(struct vt_lock *l, uint64_t s, uint64_t e)
{
	iv_prune(l);
	long i = iv_find(l, s);
	if (i >= 0 && l->iv[i].end >= s) {     /* extends interval i */
		if (e > l->iv[i].end)
			l->iv[i].end = e;
	} else {
		if (l->n == l->cap) {
			unsigned cap = l->cap ? l->cap * 2 : 64;
			struct vt_interval *iv = realloc(l->iv, cap * sizeof(*iv));
			if (!iv)
				abort();        /* a few KiB per zone; nothing sensible to fall back to */
			l->iv = iv;
			l->cap = cap;
		}
		i = i < 0 ? (long)l->lo : i + 1;
		memmove(l->iv + i + 1, l->iv + i, (l->n - (unsigned)i) * sizeof(*l->iv));
		l->iv[i].start = s;
		l->iv[i].end = e;
		l->n++;
	}
	/* swallow the followers it now reaches */
	while ((unsigned)i + 1 < l->n && l->iv[i + 1].start <= l->iv[i].end) {
		if (l->iv[i + 1].end > l->iv[i].end)
			l->iv[i].end = l->iv[i + 1].end;
		memmove(l->iv + i + 1, l->iv + i + 2, (l->n - (unsigned)i - 2) * sizeof(*l->iv));
		l->n--;
	}
}

void vt_zone_lock(struct zone *zone)
{
	struct vt_cpu *c = vt_current;
	struct vt_zone *z;

	if (!c || !(z = vz(zone)))
		return;
	struct vt_lock *l = &z->lock;
	uint64_t t = c->clock;
	long i = iv_find(l, t);

	l->grant_start = t;
	if (i >= 0 && l->iv[i].end > t) {
		/* queued: behind the holder and every waiter already granted after it */
		uint64_t wait = l->iv[i].end - t + vt_cost.ps[VT_LOCK_HANDOFF];
		l->grant_start = l->iv[i].end;
		c->clock += wait;
		c->wait_ps += wait;
		c->lock_contended++;
	}
	c->lock_acquisitions++;
	vt_charge(VT_ZONE_LOCK, 1);
	charge_line(c, l->last);        /* the lock word */
}

void vt_zone_unlock(struct zone *zone)
{
	struct vt_cpu *c = vt_current;
	struct vt_zone *z;

	if (!c || !(z = vz(zone)))
		return;
	iv_insert(&z->lock, z->lock.grant_start, c->clock);
	z->lock.last = c->id;
}

/* --- lines ----------------------------------------------------------------------------- */

void vt_zone_line_slow(struct vt_zone *z, unsigned int line, bool write)
{
	struct vt_cpu *c = vt_current;
	struct vt_line *ln = &z->line[line];
	uint32_t *seen = &z->seen[(size_t)c->id * VT_ZONE_LINES + line];
	if (write) {
		charge_line(c, ln->writer);
		ln->writer = c->id;
		*seen = ++ln->seq;
	} else if (*seen != ln->seq) {
		charge_line(c, ln->writer);
		*seen = ln->seq;
	}
}

void vt_page_line_slow(struct vt_zone *z, uint32_t idx)
{
	struct vt_cpu *c = vt_current;
	uint16_t w = z->page_writer[idx];
	uint32_t *touched = &z->page_touched[idx >> VT_REGION_SHIFT];
	uint32_t now = (uint32_t)(c->clock >> VT_TOUCH_SHIFT) | 1, last = *touched;
	bool stream = idx == c->last_page + 1 || idx == c->last_page - 1 || idx == c->last_page;
	if (w != VT_NO_CPU && w != c->id)
		charge_line(c, w);
	else if (!stream && (!last || (uint64_t)(now - last) << VT_TOUCH_SHIFT > vt_cost.window_ps))
		vt_charge(VT_LINE_MEMORY, 1);   /* out of every cache: from memory */
	z->page_writer[idx] = c->id;
	*touched = now;
	c->last_page = idx;
}

/* --- a pcp held by a remote CPU ---------------------------------------------------------- */

void vt_pcp_remote(struct zone *zone, int cpu, bool begin)
{
	struct vt_cpu *c = vt_current;
	struct vt_zone *z = vz(zone);

	if (!z || cpu < 0 || cpu >= W.nr_cpus || cpu == c->id)
		return;
	struct vt_pcp_busy *b = &z->pcp[cpu];
	if (begin) {
		charge_line(c, (uint16_t)cpu);  /* the pcp's lock and lists, the owner's */
		b->start = c->clock;
		b->end = UINT64_MAX;
		b->holder = c->id;
		b->touched = true;
	} else {
		b->end = c->clock;
	}
}

/*
 * The owner entering its own pcp: held elsewhere when a remote CPU's hold covers this
 * moment (the trylock fails; the owner scheme finds pcp->remote set); after a remote hold
 * the owner takes its lines back once.
 */
bool vt_pcp_held_elsewhere(struct zone *zone, int cpu)
{
	struct vt_cpu *c = vt_current;
	struct vt_zone *z = vz(zone);

	if (!z || cpu < 0 || cpu >= W.nr_cpus)
		return false;
	struct vt_pcp_busy *b = &z->pcp[cpu];
	if (!b->touched)
		return false;
	if (b->holder != c->id && b->start <= c->clock && c->clock < b->end) {
		c->pcp_trylock_fails++;
		return true;
	}
	if (c->clock >= b->end) {
		charge_line(c, b->holder);
		b->touched = false;
	}
	return false;
}

/* --- kswapd -------------------------------------------------------------------------- */

bool vt_kswapd_wake(int nid)
{
	struct vt_cpu *c = vt_current;

	if (!c || nid < 0 || nid >= MAX_NUMNODES)
		return false;
	if (W.kswapd_woken[nid] == UINT64_MAX) {
		W.kswapd_woken[nid] = c->clock;
		W.kswapd_wakes++;
	}
	return true;
}

uint64_t vt_kswapd_wake_count(void)
{
	return W.kswapd_wakes;
}

uint64_t vt_kswapd_woken_at(int nid)
{
	return nid >= 0 && nid < MAX_NUMNODES ? W.kswapd_woken[nid] : UINT64_MAX;
}

void vt_kswapd_done(int nid)
{
	if (nid >= 0 && nid < MAX_NUMNODES)
		W.kswapd_woken[nid] = UINT64_MAX;
}

#endif /* PAGEALLOC_VTIME */
