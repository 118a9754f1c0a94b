/* SPDX-License-Identifier: GPL-2.0 */
/*
 * reclaim.h - what the slow path reclaims and compacts, and its latency: per-node LRU lists
 * of allocated pages (alloc/lru.c), page reclaim (alloc/vmscan.c), kswapd
 * (alloc/kswapd.c), writeback and swap devices (alloc/writeback.c), the OOM killer
 * (alloc/oom.c), compaction (alloc/compaction.c), tasks and files that own memory
 * (alloc/task.c) and per-CPU slow-path latency histograms (alloc/slowpath.c). Linux
 * 4.12's mm/vmscan.c, mm/workingset.c, mm/page-writeback.c, mm/swapfile.c, mm/oom_kill.c
 * and mm/compaction.c, cut down; where later kernels differ, the policy says (pcp/policy.h).
 *
 * Glossary
 *   LRU         per node and zone, five lists as the kernel's (node-based LRU, 4.8+):
 *               inactive/active anon, inactive/active file, unevictable. Head: newest.
 *   referenced  two bits, as the kernel's: `young` (a PTE's accessed bit: the owner's
 *               page_mark_young on each access, a plain store) and PG_referenced
 *               (mark_page_accessed for unmapped page cache, and reclaim's second chance).
 *               Reclaim reads and clears young (page_referenced).
 *   dirty       a file page that must be written back to the file's device before it can
 *               be freed; writeback is I/O in flight on a modelled device (latency +
 *               bandwidth) that completes at a time, on the real clock or in virtual time.
 *   swap cache  an anon page unmapped to a swap slot: written to the swap device, then
 *               freed; an access before that takes it back, one after reads the slot in
 *               (a refault: workingset_refault_anon, pswpin).
 *   owner       whoever holds an LRU page: a task (anon), a file (page cache) or any user
 *               of the allocator that registers struct page_owner_ops (bench/, tests).
 *
 * Owners
 *   A user of the allocator that holds pages it can give back registers a struct
 *   page_owner_ops and a context (lru_register_owner) and puts its allocated blocks on its
 *   node's LRU with lru_add(page, owner, flags):
 *     LRU_FILE    page cache (the file lists): reclaim asks the owner to evict() it when
 *                 it is clean; LRU_DIRTY too: it is written back first.
 *     LRU_ANON    anonymous (the anon lists; also what a block without LRU_FILE is): with
 *                 swap configured and the owner's swap_out(), reclaim swaps it out;
 *                 otherwise it is never reclaimed (4.12 with no swap).
 *     LRU_MOVABLE compaction may copy it to another frame (backed mode: the contents are
 *                 copied) and tells the owner with moved(from, to); the old frame is
 *                 freed, the new one is on the LRU in its place, same state.
 *   Only order-0 blocks are migrated or swapped; file blocks of any order can be reclaimed.
 *   The owner takes a block back (before freeing it itself) with lru_del(); false means
 *   reclaim or compaction has it isolated right now: the owner gets evict(), swap_out()
 *   or moved() for it shortly and must not free it meanwhile. lru_del of a page under
 *   writeback waits for the I/O (as truncate does).
 *   Callbacks run without locks, on the reclaiming thread (kswapd, or an allocating CPU
 *   thread in direct reclaim/compaction): they must not allocate or free pages
 *   (oom_kill excepted). An owner's ops and ctx must stay valid until machine_destroy.
 *   struct page: `private` holds the owner's index (a swap-cache page: its slot); next/prev
 *   link the LRU.
 *
 * Not CPUs
 *   kswapd is a pthread that is not bound to a model CPU: it must not use the per-CPU
 *   lists, so it frees reclaimed blocks straight to the buddy (free_pages_prepare, then
 *   free_one_page) and counts its vm events in the machine's off-CPU counters.
 *   Direct reclaim and compaction do the same (freed pages go to the buddy at once, where
 *   every CPU sees them); compaction takes its migration targets from the buddy under
 *   zone->lock (__rmqueue_smallest-like removal of free blocks), never through rmqueue.
 *
 * Lock order
 *   lru->lock (per node, a mutex) and zone->lock are never held together; were they ever
 *   nested, lru->lock is the outer one (the kernel's pgdat->lru_lock before zone->lock).
 *   A device's lock (writeback.c) and the swap map's are taken inside lru->lock or alone.
 *   kswapd->lock (its wait queue) is taken with neither held.
 */
#ifndef ALLOC_RECLAIM_H
#define ALLOC_RECLAIM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "alloc/machine.h"
#include "alloc/mmzone.h"

struct page_owner_ops {
	/* Give the page up (drop every reference) and return true, or keep it: false. */
	bool (*evict)(void *ctx, struct page *page);
	/* Compaction moved the owner's page: from now on it is `to` (contents copied). */
	void (*moved)(void *ctx, struct page *from, struct page *to);
	/* An anon page goes to swap slot `slot` (try_to_unmap): the owner keeps the slot in
	 * place of the page and returns true, or keeps the page: false. NULL: never swapped. */
	bool (*swap_out)(void *ctx, struct page *page, unsigned long slot);
	/* The OOM killer: the owner's badness in pages (oom_badness; NULL: not a task), and
	 * the kill: stop, give back every page and swap slot (it may free pages), return the
	 * pages freed. */
	unsigned long (*oom_badness)(void *ctx);
	unsigned long (*oom_kill)(void *ctx);
};

/* lru_add flags (PG_lru and PG_movable keep their old meaning: file, movable) */
#define LRU_FILE        PG_lru          /* page cache: the file lists */
#define LRU_MOVABLE     PG_movable      /* compaction may move it */
#define LRU_ANON        0x100u          /* anonymous: the anon lists (the default without LRU_FILE) */
#define LRU_DIRTY       0x200u          /* file: dirty (written), written back before it is freed */
#define LRU_ACTIVE      0x400u          /* start on the active list (a refault whose distance was short) */

#define LRU_MAX_OWNERS          4096    /* a task and a file for each of 1024 simulated CPUs, and more */
/* Returns the owner index (>= 1) for lru_add, or -1 when the table is full. */
int lru_register_owner(struct machine *m, const struct page_owner_ops *ops, void *ctx);
/* Put an allocated block head on its node's LRU (flags above). */
void __lru_add(struct machine *m, struct page *page, int owner, unsigned flags);
void lru_add(struct page *page, int owner, unsigned flags);     /* current_machine() */
/* The same with the owner's own index of the page (its offset in a file, a task's virtual
 * page), which lru_page_index gives back in the owner's callbacks and follows migration. */
void lru_add_index(struct machine *m, struct page *page, int owner, unsigned flags, uint32_t index);
uint32_t lru_page_index(struct machine *m, const struct page *page);
/* Take it off the LRU (true), or false: isolated by reclaim/compaction (see above). */
bool __lru_del(struct machine *m, struct page *page);
bool lru_del(struct page *page);
/* Pages on a node's LRU (all zones, all lists; isolated pages not counted). */
unsigned long lru_pages(struct machine *m, int nid);
/* An access: the PTE's young bit (anon and mapped file; a plain store, no lock). */
void page_mark_young(struct machine *m, struct page *page);
/* A read of unmapped page cache (mark_page_accessed): referenced, or active when it was. */
void mark_page_accessed(struct machine *m, struct page *page);
/* A write: the file page is dirty (balance_dirty_pages may make the caller wait). */
void set_page_dirty(struct machine *m, struct page *page);
/* Its halves: mark it (true when it was clean), then throttle the writer (no locks held). */
bool __set_page_dirty(struct machine *m, struct page *page);
void balance_dirty_pages(struct machine *m);
/* workingset (4.12's mm/workingset.c): the shadow of an evicted file page, and on its
 * refault whether it comes back active (its refault distance fits the active list). */
unsigned long workingset_eviction(struct machine *m, struct page *page);
bool workingset_refault(struct machine *m, int nid, unsigned long shadow);

/* The LRUs are consistent (0), or -1 with the first problem in err; quiesced callers. */
int check_lru(struct machine *m, char *err, size_t errlen);

/* Reclaim from every node until nothing more is given up; returns pages freed. */
unsigned long shrink_all_memory(struct machine *m);

/* kcompactd (alloc/kcompactd.c): woken by kswapd for a high order; balance_pgdat runs of it. */
void wakeup_kcompactd(pg_data_t *pgdat, int order, int classzone_idx);
unsigned long kcompactd_runs(struct machine *m);
/* kswapd: started lazily on the first wakeup, stopped by machine_destroy. */
void wakeup_kswapd(struct zone *zone, int order, enum zone_type classzone_idx);
/* Wait until every started kswapd and kcompactd sleeps with no wakeup pending. */
void kswapd_wait_idle(struct machine *m);
/* Virtual time (the vtime flavour): run one pending wakeup's balance_pgdat on this thread. */
void kswapd_run_once(pg_data_t *pgdat);
/* Wakeups that found kswapd asleep, and balance_pgdat runs, summed over nodes. */
unsigned long kswapd_wakeups(struct machine *m);
/* Requests that found a node unbalanced with kswapd asleep, hopeless or not (the kernel's
 * mm_vmscan_wakeup_kswapd condition but for the hopeless test). */
unsigned long kswapd_wake_requests(struct machine *m);

/* Slow-path latency: per CPU, log-linear (32 sub-buckets per power of two: 3 %, to ~2 s). */
enum slowpath_outcome {
	SLOWPATH_RETRY,         /* the retry at the min watermark (or reserves) succeeded */
	SLOWPATH_RECLAIM,       /* succeeded after direct reclaim */
	SLOWPATH_COMPACT,       /* succeeded after direct compaction */
	SLOWPATH_OOM,           /* succeeded after the OOM killer freed a victim's memory */
	SLOWPATH_NOFAIL,        /* __GFP_NOFAIL that had to wait in nopage for memory */
	SLOWPATH_FAIL,          /* NULL: OOM or gave up */
	NR_SLOWPATH_OUTCOMES,
	SLOWPATH_ALL = -1,
};
extern const char *const slowpath_outcome_names[NR_SLOWPATH_OUTCOMES];
struct slowpath_latency {
	unsigned long count;
	double mean_ns;
	uint64_t p50_ns, p90_ns, p99_ns, p999_ns, max_ns;
};
/* Merge every CPU's histogram of one outcome (SLOWPATH_ALL: all of them). */
void slowpath_latency(struct machine *m, int outcome, struct slowpath_latency *out);
/* Zero the histograms; no CPU may be in the slow path meanwhile. */
void slowpath_latency_reset(struct machine *m);
/* Allocations satisfied by the first get_page_from_freelist / all allocations (1 when none). */
double slowpath_fastpath_rate(struct machine *m);

/* --- inside the allocator (alloc/slowpath.c, vmscan.c, kswapd.c, compaction.c) --- */
struct alloc_context;
#define MAX_RECLAIM_RETRIES     16
#define DEF_PRIORITY            12
#define SWAP_CLUSTER_MAX        32UL

enum compact_result {
	COMPACT_NOT_SUITABLE_ZONE,
	COMPACT_SKIPPED,
	COMPACT_DEFERRED,
	COMPACT_INACTIVE = COMPACT_DEFERRED,
	COMPACT_NO_SUITABLE_PAGE,
	COMPACT_CONTINUE,
	COMPACT_COMPLETE,
	COMPACT_PARTIAL_SKIPPED,
	COMPACT_CONTENDED,
	COMPACT_SUCCESS,
};
enum compact_priority {
	COMPACT_PRIO_SYNC_FULL,
	MIN_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_FULL,
	COMPACT_PRIO_SYNC_LIGHT,
	MIN_COMPACT_COSTLY_PRIORITY = COMPACT_PRIO_SYNC_LIGHT,
	DEF_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_LIGHT,
	COMPACT_PRIO_ASYNC,
	INIT_COMPACT_PRIORITY = COMPACT_PRIO_ASYNC
};

int slowpath_init(struct machine *m);          /* machine_create */
void slowpath_exit(struct machine *m);         /* machine_destroy: stops kswapd */
unsigned long zone_reclaimable_pages(struct zone *zone);
/* One pass over a node's LRU at a priority; returns pages freed. */
unsigned long shrink_node(pg_data_t *pgdat, int classzone_idx, unsigned long nr_to_reclaim, int priority,
			  bool kswapd);
/* The same for kswapd's boosted reclaim (5.0+): no writeback, no swap. */
unsigned long shrink_node_boost(pg_data_t *pgdat, int classzone_idx, unsigned long nr_to_reclaim, int priority,
				bool kswapd, bool boosted);
/* do_try_to_free_pages for an allocation: allocstall, then shrink the zonelist's nodes. */
unsigned long try_to_free_pages(gfp_t gfp_mask, unsigned int order, const struct alloc_context *ac);
/* Deferral (4.12): per zone, racy as the kernel's. */
struct compact_state {
	_Atomic unsigned considered, defer_shift;
	_Atomic int order_failed;
	_Atomic unsigned long cached_migrate_pfn[2];    /* [0] async, [1] sync */
	_Atomic unsigned long cached_free_pfn;
	_Atomic bool blockskip_flush;   /* the scanners met: kswapd resets the skip hints */
};
void defer_compaction(struct zone *zone, int order);
bool compaction_deferred(struct zone *zone, int order);
void compaction_defer_reset(struct zone *zone, int order, bool alloc_success);
bool compaction_restarting(struct zone *zone, int order);
void __reset_isolation_suitable(struct zone *zone);
void reset_isolation_suitable(pg_data_t *pgdat);
void kcompactd_do_work(pg_data_t *pgdat, int order, int classzone_idx);
static inline unsigned long compact_gap(unsigned int order) { return 2UL << order; }
enum compact_result try_to_compact_pages(gfp_t gfp_mask, unsigned int order, unsigned int alloc_flags,
					 const struct alloc_context *ac, enum compact_priority prio);
enum compact_result compaction_suitable(struct zone *zone, int order, unsigned int alloc_flags, int classzone_idx);
bool compaction_zonelist_suitable(const struct alloc_context *ac, int order, int alloc_flags);
int fragmentation_index(struct zone *zone, unsigned int order);
static inline bool compaction_made_progress(enum compact_result r) { return r == COMPACT_SUCCESS; }
static inline bool compaction_failed(enum compact_result r) { return r == COMPACT_COMPLETE; }
static inline bool compaction_withdrawn(enum compact_result r)
{
	return r == COMPACT_SKIPPED || r == COMPACT_DEFERRED || r == COMPACT_PARTIAL_SKIPPED || r == COMPACT_CONTENDED;
}

/* The per-node LRU (pgdat->lru). */
enum lru_list {
	LRU_INACTIVE_ANON,
	LRU_ACTIVE_ANON,
	LRU_INACTIVE_FILE,
	LRU_ACTIVE_FILE,
	LRU_UNEVICTABLE,
	NR_LRU_LISTS
};
static inline bool is_file_lru(enum lru_list l) { return l == LRU_INACTIVE_FILE || l == LRU_ACTIVE_FILE; }
static inline bool is_active_lru(enum lru_list l) { return l == LRU_ACTIVE_ANON || l == LRU_ACTIVE_FILE; }

/* A frame's LRU state (lru->state[pfn - start_pfn], under lru->lock). */
#define LS_LRU_MASK     0x0007u         /* enum lru_list + 1; 0: on no LRU */
#define LS_ISOLATED     0x0008u         /* taken off by reclaim or compaction */
#define LS_MOVABLE      0x0010u         /* LRU_MOVABLE */
#define LS_REFERENCED   0x0020u         /* PG_referenced */
#define LS_DIRTY        0x0040u         /* PG_dirty (file) */
#define LS_WRITEBACK    0x0080u         /* PG_writeback: I/O in flight */
#define LS_RECLAIM      0x0100u         /* PG_reclaim: free it as soon as the I/O is done */
#define LS_SWAPCACHE    0x0200u         /* anon in the swap cache: page->private is its slot */
static inline unsigned ls_lru(unsigned st) { return (st & LS_LRU_MASK) - 1; }

/* Node counters with the kernel's names (pgdat->vm_stat's; 4.12 names in comments). */
#define NODE_STAT_ITEMS(X)                                                      \
	X(NR_ISOLATED_ANON, "nr_isolated_anon")                                 \
	X(NR_ISOLATED_FILE, "nr_isolated_file")                                 \
	X(WORKINGSET_REFAULT_ANON, "workingset_refault_anon")   /* 5.9+ */      \
	X(WORKINGSET_REFAULT_FILE, "workingset_refault_file")   /* 4.12: workingset_refault */ \
	X(WORKINGSET_ACTIVATE_ANON, "workingset_activate_anon") /* 5.9+ */      \
	X(WORKINGSET_ACTIVATE_FILE, "workingset_activate_file") /* 4.12: workingset_activate */ \
	X(NR_ANON_MAPPED, "nr_anon_pages")                                      \
	X(NR_FILE_PAGES, "nr_file_pages")                                       \
	X(NR_FILE_DIRTY, "nr_dirty")                                            \
	X(NR_WRITEBACK, "nr_writeback")                                         \
	X(NR_VMSCAN_WRITE, "nr_vmscan_write")                                   \
	X(NR_VMSCAN_IMMEDIATE, "nr_vmscan_immediate_reclaim")                   \
	X(NR_DIRTIED, "nr_dirtied")                                             \
	X(NR_WRITTEN, "nr_written")                                             \
	X(NR_SWAPCACHE, "nr_swapcached")
enum node_stat_item {
#define NS_ENUM(e, s) e,
	NODE_STAT_ITEMS(NS_ENUM)
#undef NS_ENUM
	NR_VM_NODE_STAT_ITEMS
};
extern const char *const node_stat_names[NR_VM_NODE_STAT_ITEMS];
/* pgdat->flags */
#define PGDAT_DIRTY     1u      /* reclaim found only unqueued dirty pages: kswapd writes them */
#define PGDAT_WRITEBACK 2u      /* reclaim found only pages under writeback: throttle */

struct lru_node {
	pthread_mutex_t lock;
	struct pagelist lists[NR_LRU_LISTS][MAX_NR_ZONES];      /* head: newest */
	unsigned long nr[NR_LRU_LISTS][MAX_NR_ZONES];           /* pages (not blocks) on each */
	/* zone_reclaim_stat ([0] anon, [1] file): get_scan_count's balance (4.12) */
	unsigned long recent_scanned[2], recent_rotated[2];
	/* 5.8+: lruvec->anon_cost/file_cost ([0] anon, [1] file: lru_note_cost), and the
	 * workingset activations at the last reclaim's end (snapshot_refaults) */
	unsigned long cost[2];
	long refaults[2];
	_Atomic unsigned long inactive_age;     /* workingset: evictions and activations (4.12) */
	unsigned flags;                 /* PGDAT_* */
	_Atomic long stat[NR_VM_NODE_STAT_ITEMS];
	uint16_t *state;                /* by pfn - start_pfn (machine-wide array) */
	_Atomic uint8_t *young;         /* by pfn - start_pfn: the accessed bit */
	unsigned long start_pfn, spanned;
	pg_data_t *pgdat;
};
static inline long node_page_state(struct lru_node *lru, enum node_stat_item i)
{
	long v = atomic_load_explicit(&lru->stat[i], memory_order_relaxed);
	return v < 0 ? 0 : v;
}
static inline void mod_node_page_state(struct lru_node *lru, enum node_stat_item i, long d)
{
	atomic_fetch_add_explicit(&lru->stat[i], d, memory_order_relaxed);
}
/*
 * The LRU's aging for a policy's reclaim_lru row (pcp/policy.h): one table in lru.c, read
 * by lru.c and vmscan.c, so that a kernel's aging is a row, not tests of its version.
 */
struct lru_aging {
	bool anon_starts_active;        /* 4.12: lru_cache_add_active_or_unevictable */
	bool anon_ratio_sqrt;           /* anon's inactive_ratio is int_sqrt(10 x GB) (4.12); else 1:1 */
	bool cost_balance;              /* 5.8: get_scan_count from cost[], prepare_scan_count's
					   deactivation, cache_trim_mode and file_is_tiny */
	unsigned io_cost, rotation_cost;/* a page of I/O (pageout, refault) and a rotation: 5.8 1 and 0; 6.2 32 and 1 */
	bool workingset_counts_anon;    /* 5.8: a refault fits within active file + anon (with swap) */
};
const struct lru_aging *lru_aging(const struct machine *m);
/* lru_note_cost: charge a type (file or anon) for I/O and rotations; under lru->lock. */
void lru_note_cost_locked(struct machine *m, struct lru_node *lru, bool file, unsigned long nr_io,
			  unsigned long nr_rotated);
/* lru_note_cost_refault: a refault of nr pages of that type (a workingset activation, a swap-in). */
void lru_note_cost_refault(struct machine *m, int nid, bool file, unsigned long nr);
/* snapshot_refaults: a reclaim cycle ended (do_try_to_free_pages, balance_pgdat). */
void snapshot_refaults(struct machine *m, int nid);

struct page_owner {
	const struct page_owner_ops *ops;
	void *ctx;
};
/* Take a block off the LRU for reclaim or compaction: under lru->lock. */
void lru_isolate_locked(struct lru_node *lru, struct zone *zone, struct page *page);
/* Give an isolated block back to the list its state names (head), or to `lru` (its state's
 * list changed: activate/deactivate); under lru->lock: __lru_putback. */
void lru_putback(struct machine *m, struct page *page);
void __lru_putback_locked(struct lru_node *lru, struct zone *zone, struct page *page, bool tail);
/* Free an isolated block straight to the buddy (not a CPU: no pcp lists). */
void lru_free_isolated(struct machine *m, struct page *page);
/* Compaction: `to` takes isolated `from`'s place on the LRU, same list and state. */
void lru_migrate(struct machine *m, struct page *from, struct page *to);
const struct page_owner *lru_owner(struct machine *m, const struct page *page);
/* Move a page between lists and keep the zone counters: under lru->lock, not isolated. */
void lru_move_locked(struct lru_node *lru, struct zone *zone, struct page *page, enum lru_list to, bool tail);
/* The zone counters of a block entering (+) or leaving (-) list l. */
void lru_account(struct zone *zone, enum lru_list l, long pages);

/* Take a page that is on a list (not isolated) off the LRU for good; under lru->lock. */
void lru_remove_locked(struct machine *m, struct lru_node *lru, struct zone *zone, struct page *page);

/* --- writeback and swap (alloc/writeback.c) --- */
struct bio {
	uint64_t done;                  /* completion time, ns (mm_now_ns's clock) */
	unsigned long pfn;
};
struct blockdev {
	pthread_mutex_t lock;
	uint64_t latency_ns, ns_per_page;
	uint64_t busy_until;            /* the last queued transfer ends then */
	struct bio *ring;               /* in flight, in completion order: [head, tail) mod cap */
	unsigned long head, tail, cap;
	unsigned long ios;              /* writes queued so far */
};
struct writeback_state {
	struct blockdev disk, swap;
	pthread_mutex_t lock;           /* the dirty FIFO */
	unsigned long *dirty;           /* pfns in the order they were dirtied: [dhead, dtail) mod dcap */
	unsigned long dhead, dtail, dcap;
	pthread_mutex_t swap_lock;      /* the slots */
	unsigned long nr_slots, free_slots, cursor;
	uint64_t *used;                 /* bitmap: the slot holds someone's page */
	unsigned long *slot_pfn;        /* the swap cache: the page being written to a slot, or ~0 */
};
int writeback_init(struct machine *m);
void writeback_exit(struct machine *m);
/* The real clock, or the running vCPU's virtual one (ns); and a wait until a time on it. */
uint64_t mm_now_ns(void);
void mm_wait_until(uint64_t t);
bool blockdev_congested(struct blockdev *d);
/* Every I/O due by now completes (end_page_writeback). */
void writeback_complete(struct machine *m);
/* congestion_wait: the next completion or max_ns; false when nothing is in flight. */
bool writeback_wait_any(struct machine *m, uint64_t max_ns);
void writeback_wait_page(struct machine *m, struct page *page);
/* pageout under lru->lock: PG_writeback and the I/O queued; returns its completion time. */
uint64_t writeback_start_locked(struct machine *m, struct lru_node *lru, struct page *page);
/* The flusher: the oldest dirty pages, nr of them (0: until below the background threshold). */
void wb_start_background(struct machine *m, unsigned long nr);
void global_dirty_limits(struct machine *m, unsigned long *background, unsigned long *dirty);
bool swap_configured(struct machine *m);
unsigned long nr_swap_pages(struct machine *m);
long get_swap_page(struct machine *m, unsigned long pfn);
void swap_cache_drop(struct machine *m, unsigned long slot, unsigned long pfn);
void swap_free(struct machine *m, unsigned long slot);
/* The slot's contents back in a page of the caller's (off the LRU); NULL: no memory. */
struct page *swapin(struct machine *m, unsigned long slot, gfp_t gfp);

/* --- the OOM killer (alloc/oom.c) --- */
/* out_of_memory: kill the owner with the highest oom_badness; true when one was killed. */
bool out_of_memory(struct machine *m, gfp_t gfp_mask, unsigned int order);
/* Calls of out_of_memory so far, a victim found or not (oom_kill counts the kills). */
unsigned long oom_invocations(struct machine *m);

struct kswapd {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wait;            /* kswapd sleeps here */
	pthread_cond_t idle;            /* kswapd_wait_idle waits here */
	bool started, stop, woken, running;
	int order, classzone_idx;
	_Atomic int failures;           /* balance_pgdat runs that reclaimed nothing */
	unsigned long wakeups, runs;
	unsigned long wake_requests;    /* wakeup_kswapd found the node unbalanced, kswapd asleep */
	uint64_t slept_at;              /* mm_now_ns when the last balance_pgdat ended; 0: never ran */
	pg_data_t *pgdat;
};
void kswapd_stop(pg_data_t *pgdat);
/* ZONE_RECLAIM_ACTIVE on the node's zones up to classzone_idx (kswapd's balance_pgdat, a replay). */
void set_reclaim_active(pg_data_t *pgdat, int classzone_idx);
void clear_reclaim_active(pg_data_t *pgdat, int classzone_idx);
/* The daemons' thread body and lazy start (alloc/kswapd.c; kcompactd uses them too). */
void mm_daemon_loop(struct kswapd *k, void (*work)(pg_data_t *pgdat, int order, int classzone_idx));
bool mm_daemon_start_locked(struct kswapd *k, void *(*main)(void *));
unsigned long mm_daemon_sum(struct machine *m, bool kcompactd, size_t field);
/* kswapd balanced the node: PGDAT_DIRTY and PGDAT_WRITEBACK clear (clear_pgdat_congested). */
void clear_pgdat_congested(pg_data_t *pgdat);

/* m->slow */
#define SLOWPATH_HIST_SUB_BITS  5
#define SLOWPATH_HIST_SUB       (1 << SLOWPATH_HIST_SUB_BITS)
/* 0..31 exact, then 32 per power of two up to 2^31 ns */
#define SLOWPATH_HIST_BUCKETS   (SLOWPATH_HIST_SUB + (31 - SLOWPATH_HIST_SUB_BITS) * SLOWPATH_HIST_SUB + 1)
struct slowpath_hist {
	unsigned long count, sum_ns, max_ns;
	unsigned long bucket[SLOWPATH_HIST_BUCKETS];
};
struct slowpath_cpu {                   /* written only by its CPU's bound thread */
	struct slowpath_hist h[NR_SLOWPATH_OUTCOMES];
} __cacheline_aligned;
struct slowpath_state {
	pthread_mutex_t lock;           /* owner registration, kswapd start */
	pthread_mutex_t oom_lock;       /* one OOM killer at a time */
	_Atomic int oom_no_victim_said;
	_Atomic unsigned long oom_calls;
	_Atomic bool no_daemons;        /* kswapd and kcompactd are never started (a replay) */
	struct page_owner owners[LRU_MAX_OWNERS];
	_Atomic int nr_owners;
	struct slowpath_cpu *cpu;       /* [nr_cpus] */
	uint16_t *lru_state;            /* [max_pfn]: every node's lru->state */
	_Atomic uint8_t *lru_young;     /* [max_pfn]: every node's lru->young */
	uint32_t *lru_index;            /* [max_pfn]: the owner's index of its page (lru_add_index) */
	struct writeback_state *wb;
	/* warn_alloc's ratelimit (10 a 5 s, DEFAULT_RATELIMIT_*) and the WARN_ON_ONCEs given */
	_Atomic uint64_t warn_window_ns;
	_Atomic int warn_in_window;
	_Atomic unsigned int warned_once;       /* enum slowpath_warn bits */
};

#endif /* ALLOC_RECLAIM_H */
