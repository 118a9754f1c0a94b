/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vtime.h - virtual time inside the allocator: what each step costs, and where zone->lock,
 * a pcp lock and the cache lines other CPUs write are taken.
 *
 * One source, two flavours (as liburcu builds one source per flavour):
 *   //alloc:page_alloc        every hook below is an empty statement; no trace of them in
 *                             the code (the fast path is unchanged, instruction for instruction);
 *   //alloc:page_alloc_vtime  built with -DPAGEALLOC_VTIME: each hook charges the virtual CPU
 *                             running now (vt_current) for the step it marks.
 * The simulator (vtime/) runs N virtual CPUs through the vtime flavour one operation at a
 * time in virtual-time order; see vtime/README.md.
 *
 * Glossary
 *   step       one thing the allocator does, with one cost: a pcp hit, a block off a free
 *              list, a struct page checked ... (VT_STEPS below; the cost file's keys).
 *   vt_cpu     a virtual CPU's clock and step counts; also a kswapd thread (one per node).
 *   clock      picoseconds of virtual time; it only moves forward.  Invariant:
 *                clock = sum over steps of nr[step] * cost[step] + wait_ps
 *              (wait_ps: time queued for zone->lock), which a 1-CPU test checks exactly.
 *   line       a cache line the kernel shares between CPUs; a CPU that writes (or first
 *              reads) a line another CPU wrote last pays line_socket or line_remote.
 *   busy       a lock's reserved intervals in virtual time: a request inside one waits to
 *              its end plus lock_handoff (FIFO: the queued spinlock's order).
 */
#ifndef ALLOC_VTIME_H
#define ALLOC_VTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* X(name, key, what the cost is for).  The cost file has one "key = ns" line for each. */
#define VT_STEPS(X)                                                                                  \
	X(ALLOC_CALL, alloc_call, "entering __alloc_pages: gfp decoded, the zonelist head taken")     \
	X(FREE_CALL, free_call, "entering __free_pages: the head page checked, its pageblock's type") \
	X(WATERMARK, watermark, "one zone watermark test")                                            \
	X(ZONELIST_ZONE, zonelist_zone, "one zone visited by get_page_from_freelist's general walk")   \
	X(PCP_ALLOC, pcp_alloc, "a block taken off a pcp list (the hit path's work)")                 \
	X(PCP_FREE, pcp_free, "a block put on a pcp list")                                            \
	X(REFILL_BLOCK, refill_block, "rmqueue_bulk: one block moved to a pcp list, under zone->lock") \
	X(DRAIN_BLOCK, drain_block, "free_pcppages_bulk: one block taken off a pcp list to free, under zone->lock") \
	X(BUDDY_DEL, buddy_del, "a block taken off a free_area list")                                 \
	X(BUDDY_ADD, buddy_add, "a block put on a free_area list (a split half, a freed block)")      \
	X(BUDDY_TEST, buddy_test, "page_is_buddy: one buddy looked at while merging")                 \
	X(CHECK_PAGE, check_page, "one struct page checked (check_new_pages, free_pages_prepare's tails)") \
	X(ZONE_LOCK, zone_lock, "zone->lock taken and released with nobody waiting")                  \
	X(LOCK_HANDOFF, lock_handoff, "the queued lock handed to the next waiter")                    \
	X(LINE_SOCKET, line_socket, "a cache line last written by another core of the same socket")   \
	X(LINE_REMOTE, line_remote, "a cache line last written by a core of another socket")          \
	X(LINE_MEMORY, line_memory, "a struct page's line from memory: nothing of its 4 KiB of mem_map touched within cache_window") \
	X(STAT_FOLD, stat_fold, "a per-CPU vm_stat delta folded into the zone's counter (an atomic)") \
	X(SLOWPATH, slowpath, "entering __alloc_pages_slowpath (flags, kswapd wakeups, a retry)")     \
	X(RECLAIM_PAGE, reclaim_page, "one page scanned by reclaim (kswapd or direct)")               \
	X(COMPACT_PAGE, compact_page, "one page scanned by compaction")                               \
	X(ZERO_PAGE, zero_page, "clearing one page for __GFP_ZERO")

enum vt_step {
#define VT_STEP_ENUM(name, key, what) VT_##name,
	VT_STEPS(VT_STEP_ENUM)
#undef VT_STEP_ENUM
	VT_NR_STEPS
};

/*
 * The cost table: picoseconds per step (integers, so virtual time is exact and portable),
 * and how long a struct page's line stays in a CPU's caches untouched (cache_window).
 */
struct vt_costs {
	uint64_t ps[VT_NR_STEPS];
	uint64_t window_ps;
};

extern const char *const vt_step_key[VT_NR_STEPS];     /* "alloc_call", ... (the cost file's keys) */
extern const char *const vt_step_what[VT_NR_STEPS];

#define VT_NO_CPU 0xffffu

struct vt_cpu {
	uint64_t clock;                 /* ps; only moves forward */
	uint64_t wait_ps;               /* of clock: queued for a zone->lock (lock_handoff included) */
	uint64_t nr[VT_NR_STEPS];       /* steps charged */
	uint64_t lock_acquisitions;     /* zone->lock */
	uint64_t lock_contended;        /* of those: found it held in virtual time */
	uint64_t pcp_trylock_fails;     /* the pcp lock held by another CPU in virtual time */
	uint16_t id;                    /* 0..nr_cpus-1: model CPUs; nr_cpus + nid: node nid's kswapd */
	uint16_t socket;
	uint32_t last_page;             /* the struct page it touched last (its zone's index): a stream */
};

struct zone;
struct per_cpu_pages;

#ifdef PAGEALLOC_VTIME

/* The virtual CPU running now (NULL: no simulation, every hook does nothing) and the costs. */
extern __thread struct vt_cpu *vt_current;
extern struct vt_costs vt_cost;

static inline void vt_charge(enum vt_step s, uint64_t n)
{
	struct vt_cpu *c = vt_current;

	if (c) {
		c->clock += vt_cost.ps[s] * n;
		c->nr[s] += n;
	}
}

/* Zone lines (vt_zone_line's line): the free counter; free_area[order] is VT_LINE_AREA + order. */
#define VT_LINE_FREE_COUNT      0
#define VT_LINE_AREA            1
#define VT_ZONE_LINES           (VT_LINE_AREA + 11)     /* MAX_ORDER orders */
#define VT_TOUCH_SHIFT          16      /* 65.5 ns units: 2^32 of them are 78 hours of virtual time */
#define VT_REGION_SHIFT         6       /* 64 kernel struct pages: one 4 KiB page of mem_map */

struct vt_line {
	uint32_t seq;                   /* writes */
	uint16_t writer;
};

struct vt_interval {
	uint64_t start, end;
};

struct vt_lock {
	struct vt_interval *iv;         /* iv[lo .. n): sorted, disjoint */
	unsigned lo, n, cap;
	uint64_t grant_start;           /* the held interval's start (set at lock, used at unlock) */
	uint16_t last;                  /* the CPU that released it last */
};

struct vt_pcp_busy {                    /* a remote CPU's hold of this pcp */
	uint64_t start, end;
	uint16_t holder;
	bool touched;                   /* the owner has not yet taken its lines back */
};

/* One zone's share of the world (zone->vt while a simulation runs). */
struct vt_zone {
	struct vt_lock lock;
	struct vt_line line[VT_ZONE_LINES];
	uint32_t *seen;                 /* [thread * VT_ZONE_LINES + line]: seq last read */
	uint16_t *page_writer;          /* [page_idx]: spanned pages at init */
	uint32_t *page_touched;         /* [page_idx >> VT_REGION_SHIFT]: clock >> VT_TOUCH_SHIFT; 0 never */
	unsigned long nr_pages;
	struct vt_pcp_busy *pcp;        /* [cpu] */
};

/* The hooks' out-of-line halves (alloc/vtime.c). */
void vt_zone_lock(struct zone *zone);
void vt_zone_unlock(struct zone *zone);
void vt_zone_line_slow(struct vt_zone *z, unsigned int line, bool write);
void vt_page_line_slow(struct vt_zone *z, uint32_t idx);
bool vt_pcp_held_elsewhere(struct zone *zone, int cpu);
void vt_pcp_remote(struct zone *zone, int cpu, bool begin);
bool vt_kswapd_wake(int nid);

/*
 * The common cases inline: a line this CPU wrote last (a zone line: and has seen), or a
 * struct page it wrote last whose 4 KiB of mem_map it touched within the last 65 ns tick.
 */
static inline void vt_zone_line(struct vt_zone *z, unsigned int line, bool write)
{
	struct vt_cpu *c = vt_current;

	if (!z || line >= VT_ZONE_LINES)
		return;
	if (z->line[line].writer == c->id && (!write || z->seen[(size_t)c->id * VT_ZONE_LINES + line] == z->line[line].seq)) {
		if (write)
			z->seen[(size_t)c->id * VT_ZONE_LINES + line] = ++z->line[line].seq;
		return;
	}
	vt_zone_line_slow(z, line, write);
}

static inline void vt_page_line(struct vt_zone *z, uint32_t idx)
{
	struct vt_cpu *c = vt_current;

	if (!z || idx >= z->nr_pages)
		return;
	uint32_t now = (uint32_t)(c->clock >> VT_TOUCH_SHIFT) | 1;
	if (z->page_writer[idx] == c->id && z->page_touched[idx >> VT_REGION_SHIFT] == now) {
		c->last_page = idx;
		return;
	}
	vt_page_line_slow(z, idx);
}

#define VT_CHARGE(step, n)              vt_charge(VT_##step, (uint64_t)(n))
#define VT_ZONE_LOCK(zone)              vt_zone_lock(zone)
#define VT_ZONE_UNLOCK(zone)            vt_zone_unlock(zone)
#define VT_ZONE_LINE(zone, line, write) do { if (vt_current) vt_zone_line((zone)->vt, line, write); } while (0)
#define VT_PAGE_LINE(zone, idx)         do { if (vt_current) vt_page_line((zone)->vt, idx); } while (0)
#define VT_PCP_HELD_ELSEWHERE(zone, cpu) (vt_current && vt_pcp_held_elsewhere(zone, cpu))
#define VT_PCP_REMOTE(zone, cpu, begin) do { if (vt_current) vt_pcp_remote(zone, cpu, begin); } while (0)
#define VT_ACTIVE()                     (vt_current != 0)
#define VT_KSWAPD_WAKE(nid)             ((void)vt_kswapd_wake(nid))

/*
 * The world the hooks charge into: one simulation per process at a time (the simulator is
 * one host thread).  Thread ids 0..nr_cpus-1 are the model CPUs that run, the rest up to
 * nr_threads-1 other writers (a node's kswapd); socket_of[id] gives each its socket.
 * vt_world_init copies both tables.
 */
struct machine;
int vt_world_init(struct machine *m, const uint16_t *socket_of, int nr_cpus, int nr_threads,
		  const struct vt_costs *costs, char *err, size_t errlen);
void vt_world_exit(void);
/* The smallest clock of any runnable CPU: busy intervals that end before it are dropped. */
void vt_world_set_now(uint64_t min_clock);
/* kswapd of node nid: the virtual time it was woken at, or UINT64_MAX when it sleeps.
 * vt_kswapd_done marks it asleep again (the simulator ran it). */
uint64_t vt_kswapd_woken_at(int nid);
void vt_kswapd_done(int nid);
/* Wakeups so far (the simulator looks for sleeping kswapds to start when it moves). */
uint64_t vt_kswapd_wake_count(void);

#else /* !PAGEALLOC_VTIME: nothing */

#define VT_CHARGE(step, n)              ((void)0)
#define VT_ZONE_LOCK(zone)              ((void)0)
#define VT_ZONE_UNLOCK(zone)            ((void)0)
#define VT_ZONE_LINE(zone, line, write) ((void)0)
#define VT_PAGE_LINE(zone, idx)         ((void)0)
#define VT_PCP_HELD_ELSEWHERE(zone, cpu) 0
#define VT_PCP_REMOTE(zone, cpu, begin) ((void)0)
#define VT_ACTIVE()                     0
#define VT_KSWAPD_WAKE(nid)             ((void)0)

#endif /* PAGEALLOC_VTIME */

#endif /* ALLOC_VTIME_H */
