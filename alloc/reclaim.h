/* SPDX-License-Identifier: GPL-2.0 */
/*
 * reclaim.h - something for the slow path to reclaim and compact, and the slow path's
 * latency: a per-node LRU of allocated pages their owners marked reclaimable and/or
 * movable (alloc/vmscan.c), kswapd (alloc/kswapd.c), direct reclaim (alloc/vmscan.c),
 * compaction (alloc/compaction.c) and per-CPU slow-path latency histograms
 * (alloc/slowpath.c). Linux 4.12's mm/vmscan.c and mm/compaction.c, cut down.
 *
 * Owners
 *   A user of the allocator that holds pages it can give back registers a struct
 *   page_owner_ops and a context (lru_register_owner) and puts its allocated blocks on its
 *   node's LRU with lru_add(page, owner, flags):
 *     PG_lru      reclaimable: reclaim may ask the owner to evict() it; when the owner
 *                 agrees (drops its reference, returns true) reclaim frees the block.
 *     PG_movable  movable: compaction may copy it to another frame (backed mode: the
 *                 contents are copied) and tells the owner with moved(from, to); the old
 *                 frame is freed, the new one is on the LRU in its place, same flags.
 *   Only order-0 blocks are migrated; blocks of any order can be reclaimed.
 *   The owner takes a block back (before freeing it itself) with lru_del(); false means
 *   reclaim or compaction has it isolated right now: the owner gets evict() or moved()
 *   for it shortly and must not free it meanwhile.
 *   Callbacks run without locks, on the reclaiming thread (kswapd, or an allocating CPU
 *   thread in direct reclaim/compaction): they must not allocate or free pages. An
 *   owner's ops and ctx must stay valid until machine_destroy (kswapd may be mid-scan).
 *   struct page: `private` holds the owner's index; next/prev link the LRU.
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
};

#define LRU_MAX_OWNERS          256
/* Returns the owner index (>= 1) for lru_add, or -1 when the table is full. */
int lru_register_owner(struct machine *m, const struct page_owner_ops *ops, void *ctx);
/* Put an allocated block head on its node's LRU; flags: PG_lru and/or PG_movable. */
void __lru_add(struct machine *m, struct page *page, int owner, unsigned flags);
void lru_add(struct page *page, int owner, unsigned flags);     /* current_machine() */
/* Take it off the LRU (true), or false: isolated by reclaim/compaction (see above). */
bool __lru_del(struct machine *m, struct page *page);
bool lru_del(struct page *page);
/* Pages on a node's LRU (all zones; isolated pages not counted). */
unsigned long lru_pages(struct machine *m, int nid);

/* The LRUs are consistent (0), or -1 with the first problem in err; quiesced callers. */
int check_lru(struct machine *m, char *err, size_t errlen);

/* Reclaim from every node until nothing more is given up; returns pages freed. */
unsigned long shrink_all_memory(struct machine *m);

/* kswapd: started lazily on the first wakeup, stopped by machine_destroy. */
void wakeup_kswapd(struct zone *zone, int order, enum zone_type classzone_idx);
/* Wait until every started kswapd sleeps with no wakeup pending. */
void kswapd_wait_idle(struct machine *m);
/* Virtual time (the vtime flavour): run one pending wakeup's balance_pgdat on this thread. */
void kswapd_run_once(pg_data_t *pgdat);
/* Wakeups that found kswapd asleep, and balance_pgdat runs, summed over nodes. */
unsigned long kswapd_wakeups(struct machine *m);

/* Slow-path latency: per CPU, log-linear (8 sub-buckets per power of two, to ~1 s). */
enum slowpath_outcome {
	SLOWPATH_RETRY,         /* the retry at the min watermark (or reserves) succeeded */
	SLOWPATH_RECLAIM,       /* succeeded after direct reclaim */
	SLOWPATH_COMPACT,       /* succeeded after direct compaction */
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
/* do_try_to_free_pages for an allocation: allocstall, then shrink the zonelist's nodes. */
unsigned long try_to_free_pages(gfp_t gfp_mask, unsigned int order, const struct alloc_context *ac);
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
#define LRU_ISOLATED    0x80    /* in lru->state: taken off by reclaim or compaction */
struct lru_node {
	pthread_mutex_t lock;
	struct pagelist reclaimable[MAX_NR_ZONES];        /* PG_lru (maybe also PG_movable); head: newest */
	struct pagelist movable[MAX_NR_ZONES];            /* PG_movable only */
	unsigned long nr[MAX_NR_ZONES];
	uint8_t *state;                 /* by pfn - start_pfn: flags | LRU_ISOLATED (machine-wide array) */
	unsigned long start_pfn, spanned;
};
struct page_owner {
	const struct page_owner_ops *ops;
	void *ctx;
};
/* Take a block off the LRU for reclaim or compaction: under lru->lock. */
void lru_isolate_locked(struct lru_node *lru, struct zone *zone, struct page *page);
/* Give an isolated block back (not evicted / not migrated). */
void lru_putback(struct machine *m, struct page *page);
/* Free an isolated block straight to the buddy (not a CPU: no pcp lists). */
void lru_free_isolated(struct machine *m, struct page *page);
const struct page_owner *lru_owner(struct machine *m, const struct page *page);

struct kswapd {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wait;            /* kswapd sleeps here */
	pthread_cond_t idle;            /* kswapd_wait_idle waits here */
	bool started, stop, woken, running;
	int order, classzone_idx;
	_Atomic int failures;           /* balance_pgdat runs that reclaimed nothing */
	unsigned long wakeups, runs;
	pg_data_t *pgdat;
};
void kswapd_stop(pg_data_t *pgdat);

/* m->slow */
#define SLOWPATH_HIST_BUCKETS   232     /* 0..7 exact, then 8 per power of two up to 2^31 ns */
struct slowpath_hist {
	unsigned long count, sum_ns, max_ns;
	unsigned long bucket[SLOWPATH_HIST_BUCKETS];
};
struct slowpath_cpu {                   /* written only by its CPU's bound thread */
	struct slowpath_hist h[NR_SLOWPATH_OUTCOMES];
} __cacheline_aligned;
struct slowpath_state {
	pthread_mutex_t lock;           /* owner registration, kswapd start */
	struct page_owner owners[LRU_MAX_OWNERS];
	_Atomic int nr_owners;
	struct slowpath_cpu *cpu;       /* [nr_cpus] */
	uint8_t *lru_state;             /* [max_pfn]: every node's lru->state */
	/* warn_alloc's ratelimit (10 a 5 s, DEFAULT_RATELIMIT_*) and the WARN_ON_ONCEs given */
	_Atomic uint64_t warn_window_ns;
	_Atomic int warn_in_window;
	_Atomic unsigned int warned_once;       /* enum slowpath_warn bits */
};

#endif /* ALLOC_RECLAIM_H */
