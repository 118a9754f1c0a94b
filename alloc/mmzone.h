/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmzone.h - the types of the zoned buddy allocator model.
 *
 * Glossary
 *   pfn          page frame number: physical address >> PAGE_SHIFT. The model's unit.
 *   page         the 16-byte metadata of one frame (struct page). The kernel's is 64 bytes.
 *   order        a block of 2^order contiguous, naturally aligned frames.
 *   buddy        the other half of a block of order+1: pfn ^ (1 << order).
 *   free_area    per zone per order: one free list per migratetype and a count of blocks.
 *   migratetype  mobility class of a pageblock (UNMOVABLE, MOVABLE, RECLAIMABLE, HIGHATOMIC,
 *                CMA, ISOLATE); allocations prefer free blocks of their own type.
 *   pageblock    2^pageblock_order frames sharing one migratetype (2 MiB on x86-64).
 *   zone         a range of a node's frames with one purpose (DMA, DMA32, Normal, Movable),
 *                with its own free lists, lock, watermarks and per-CPU lists.
 *   node         pglist_data: a NUMA node's zones.
 *   zonelist     the ordered zones an allocation may try (own node first, then by distance).
 *   watermark    MIN/LOW/HIGH free-page levels: below LOW the fast path fails to the slow
 *                path; below MIN only privileged allocations succeed.
 *   pcp          per_cpu_pages: a CPU's private cache of small blocks in front of the buddy.
 *   managed      pages handed to the buddy allocator (present minus reserved).
 *
 * Locking
 *   zone->lock   free_area lists and counts, pageblock migratetypes, nr_reserved_highatomic.
 *   pcp          owned by one CPU (see pcp/pcp.h for the protocol that lets others drain).
 *   lru->lock    per node: the owner-page LRU, PG_lru/PG_movable of allocated pages and
 *                `private` (alloc/reclaim.h); never held together with zone->lock (were
 *                they nested, lru->lock would be the outer one).
 *   Lock-free readers (the watermark check) use READ_ONCE on nr_free, list heads and
 *   vm_stat, as the kernel does; writers under the lock use WRITE_ONCE for those fields.
 */
#ifndef ALLOC_MMZONE_H
#define ALLOC_MMZONE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "alloc/gfp.h"
#include "alloc/qspinlock.h"

#define PAGE_SHIFT              12
#define PAGE_SIZE               (1UL << PAGE_SHIFT)
#define MAX_ORDER               11              /* orders 0 .. MAX_ORDER - 1 */
#define pageblock_order         9
#define pageblock_nr_pages      (1UL << pageblock_order)
#define PAGE_ALLOC_COSTLY_ORDER 3
#define MAX_NUMNODES            64
#define NR_CPUS                 1024            /* upper bound; a machine has nr_cpus <= this */
#define SMP_CACHE_BYTES         64

#define READ_ONCE(x)            __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)        __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define likely(x)               __builtin_expect(!!(x), 1)
#define unlikely(x)             __builtin_expect(!!(x), 0)
#ifndef __always_inline                 /* glibc's sys/cdefs.h has it too, the same */
#define __always_inline         inline __attribute__((always_inline))  /* the hit paths' helpers: never a call */
#endif
/*
 * The kernel-named functions of the hit paths (__alloc_pages_nodemask, alloc_pages,
 * rmqueue_pcplist_fast, __free_pages, ...): always inline, as LTO and the kernel make
 * them, except in the profiling build (bazel --config=profile, scripts/perf-profile),
 * where each keeps a frame of its own so that perf can name it. That build is for
 * attribution, not for time.
 */
#ifdef PAGEALLOC_PROFILE
#define __hot_inline            __attribute__((noinline, unused))
#else
#define __hot_inline            __always_inline
#endif
#define __cacheline_aligned     __attribute__((aligned(SMP_CACHE_BYTES)))

/*
 * this_cpu_add() for a counter that only its CPU writes and others read racily (with
 * READ_ONCE): on x86-64 one add to memory, as the kernel's this_cpu_add is - a single
 * instruction cannot be torn or interleaved with its own CPU, and there is no other
 * writer, so no locked add is needed. ThreadSanitizer builds (which cannot see into
 * asm) and other architectures use the relaxed load and store it stands for.
 */
#if defined(__x86_64__) && !defined(__SANITIZE_THREAD__)
#define this_cpu_counter_add(var, n) __asm__ __volatile__("addq %1, %0" : "+m"(var) : "er"((unsigned long)(n)))
#else
#define this_cpu_counter_add(var, n) WRITE_ONCE(var, (var) + (unsigned long)(n))
#endif

enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_PCPTYPES,                       /* the number of types on the pcp lists */
	MIGRATE_HIGHATOMIC = MIGRATE_PCPTYPES,
	MIGRATE_CMA,
	MIGRATE_ISOLATE,                        /* can't allocate from here */
	MIGRATE_TYPES
};
extern const char *const migratetype_names[MIGRATE_TYPES];

static inline bool is_migrate_isolate(int mt) { return mt == MIGRATE_ISOLATE; }
static inline bool is_migrate_highatomic(int mt) { return mt == MIGRATE_HIGHATOMIC; }

enum zone_type {
	ZONE_DMA,                               /* below 16 MiB */
	ZONE_DMA32,                             /* below 4 GiB */
	ZONE_NORMAL,
	ZONE_MOVABLE,                           /* only movable allocations (movablecore=) */
	MAX_NR_ZONES
};
extern const char *const zone_names[MAX_NR_ZONES];

enum zone_watermarks { WMARK_MIN, WMARK_LOW, WMARK_HIGH, NR_WMARK };

/* Zone counters (vm_stat), in the order /proc/zoneinfo prints them. */
#define ZONE_STAT_ITEMS(X)              \
	X(NR_FREE_PAGES, "nr_free_pages")       \
	X(NR_ZONE_INACTIVE_ANON, "nr_zone_inactive_anon") \
	X(NR_ZONE_ACTIVE_ANON, "nr_zone_active_anon")     \
	X(NR_ZONE_INACTIVE_FILE, "nr_zone_inactive_file") \
	X(NR_ZONE_ACTIVE_FILE, "nr_zone_active_file")     \
	X(NR_ZONE_UNEVICTABLE, "nr_zone_unevictable")     \
	X(NR_ZONE_WRITE_PENDING, "nr_zone_write_pending") \
	X(NR_MLOCK, "nr_mlock")                 \
	X(NR_BOUNCE, "nr_bounce")               \
	X(NR_FREE_CMA_PAGES, "nr_free_cma")
enum zone_stat_item {
#define ZS_ENUM(e, s) e,
	ZONE_STAT_ITEMS(ZS_ENUM)
#undef ZS_ENUM
	NR_VM_ZONE_STAT_ITEMS
};

/* NUMA placement counters: per-CPU only, summed when read (no fold on the fast path). */
#define NUMA_STAT_ITEMS(X)              \
	X(NUMA_HIT, "numa_hit")                 \
	X(NUMA_MISS, "numa_miss")               \
	X(NUMA_FOREIGN, "numa_foreign")         \
	X(NUMA_INTERLEAVE_HIT, "numa_interleave")       \
	X(NUMA_LOCAL, "numa_local")             \
	X(NUMA_OTHER, "numa_other")
enum numa_stat_item {
#define NS_ENUM(e, s) e,
	NUMA_STAT_ITEMS(NS_ENUM)
#undef NS_ENUM
	NR_VM_NUMA_STAT_ITEMS
};

/*
 * struct page: 16 bytes per frame. Which fields mean what depends on the state, told
 * by flags (exactly one of PG_buddy, PG_pcp, PG_head, or none):
 *   PG_buddy  head of a free block on free_area[order].free_list[mt]; next/prev link it.
 *   PG_pcp    on a per-CPU list; order is the block order, mt the list's migratetype.
 *   PG_head   head of an allocated block of 2^order frames (what __free_pages must name).
 *   none      a tail of some block, a hole, a reserved frame, or a frame taken out of
 *             circulation (PG_hwpoison).
 * Links are zone-relative indices (pfn - zone_start_pfn), PAGE_NIL for none: half the
 * size of pointers and valid for zones up to 16 TiB.
 */
#define PAGE_NIL        UINT32_MAX
enum pageflags {
	PG_buddy        = 1 << 0,
	PG_pcp          = 1 << 1,
	PG_head         = 1 << 2,
	PG_hwpoison     = 1 << 3,       /* bad_page() took it out of circulation */
	PG_reserved     = 1 << 4,       /* never given to the buddy (memblock reserved) */
	PG_lru          = 1 << 5,       /* allocated and on the owner's reclaim list */
	PG_movable      = 1 << 6,       /* allocated, and its owner lets compaction move it */
};

struct page {
	uint32_t next;                  /* list link (zone-relative index) */
	uint32_t prev;
	uint32_t private;               /* owner's cookie (reclaim/compaction callbacks) */
	union {
		struct {
			uint8_t flags;  /* enum pageflags */
			uint8_t order;  /* see above */
			uint8_t mt;     /* PG_buddy/PG_pcp: migratetype of the list it is on */
			uint8_t cpu;    /* PG_pcp: low byte of the CPU whose list holds it */
		};
		uint32_t state;         /* the four bytes at once: one store on the hot paths */
	};
};
/* page->state for flags, order and migratetype (cpu 0); x86 and every host we build for are little-endian. */
#define PAGE_STATE(flags, order, mt) ((uint32_t)(flags) | (uint32_t)(order) << 8 | (uint32_t)(mt) << 16)
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "PAGE_STATE assumes little-endian");
_Static_assert(sizeof(struct page) == 16, "struct page must stay 16 bytes");

/* A doubly linked list of pages by zone-relative index. */
struct pagelist {
	uint32_t head;                  /* PAGE_NIL when empty; read locklessly with READ_ONCE */
	uint32_t tail;
};

struct free_area {
	struct pagelist free_list[MIGRATE_TYPES];
	unsigned long nr_free;          /* blocks (not pages) on all lists of this order */
};

/* Per pageblock: which zone owns it and its migratetype (kernel: pageblock_flags). */
struct pageblock {
	union {
		struct {
			uint8_t zone_id;        /* node * MAX_NR_ZONES + zone_type + 1; 0: no zone */
			uint8_t migratetype;    /* under zone->lock */
		};
		uint16_t key;                   /* both at once: zone_id | migratetype << 8 (the free path's) */
	};
	uint8_t skip;                   /* compaction's skip hint */
	uint8_t pad;
};

/* A test-and-test-and-set lock: the pcp lock of the trylock scheme. */
typedef struct {
	_Atomic int locked;
} spinlock_t;

struct machine;
struct pglist_data;
struct kswapd;                          /* alloc/reclaim.h */
struct compact_state;
struct lru_node;
struct per_cpu_pageset;

struct zone {
	/* Read-mostly, looked at by every allocation. */
	unsigned long _watermark[NR_WMARK];
	_Atomic unsigned long watermark_boost;  /* 5.0+: raised by fallbacks, reclaimed by kswapd (added to every mark) */
	long lowmem_reserve[MAX_NR_ZONES];      /* by classzone: pages kept back from it */
	struct per_cpu_pageset *pageset;        /* [nr_cpus], each on its own cache lines */
	struct pglist_data *zone_pgdat;
	struct page *zone_mem_map;              /* mem_map + zone_start_pfn */
	unsigned long zone_start_pfn;
	unsigned long spanned_pages;            /* zone_end_pfn - zone_start_pfn, holes included */
	unsigned long present_pages;            /* spanned minus holes */
	unsigned long managed_pages;            /* present minus reserved: what the buddy owns */
	const char *name;
	int node;
	enum zone_type idx;
	int stat_threshold;                     /* per-CPU vm_stat delta fold threshold */
	int pcp_nr_cpus;                        /* CPUs of this node (6.x zone_highsize) */
	int pageset_high_min, pageset_high_max, pageset_batch; /* the kernel's zone->pageset_*: the policy's current per-zone values */
	struct compact_state *compact;          /* compaction's deferral, cached scanners (alloc/reclaim.h) */
	long nr_reserved_highatomic;            /* under lock */
	unsigned long nr_isolate_pageblock;     /* under lock */

	/* Written under the lock. */
	struct qspinlock lock __cacheline_aligned;      /* alloc/qspinlock.h */
	struct free_area free_area[MAX_ORDER];
	_Atomic unsigned long flags;            /* ZONE_RECLAIM_ACTIVE etc. */

	_Atomic long vm_stat[NR_VM_ZONE_STAT_ITEMS] __cacheline_aligned;
	_Atomic long lock_wait_ns;              /* total time acquirers spun on lock */
	_Atomic long lock_contended;            /* acquisitions that had to wait */
#ifdef PAGEALLOC_VTIME
	struct vt_zone *vt;                     /* the virtual-time world's lines of this zone (alloc/vtime.h) */
#endif
};

/*
 * ZONE_RECLAIM_ACTIVE: reclaim runs on the node (5.13+ caps pcp high then);
 * ZONE_BELOW_HIGH: 6.7+, the zone was found below its high watermark (pcp high shrinks on
 * frees, stops growing on refills, until a drain brings it back above).
 * ZONE_BOOSTED_WATERMARK: 5.0+, a fallback boosted the watermark: the allocation wakes kswapd.
 */
enum zone_flags { ZONE_RECLAIM_ACTIVE = 1 << 0, ZONE_BELOW_HIGH = 1 << 1, ZONE_BOOSTED_WATERMARK = 1 << 2 };

/* READ_ONCE: memory hotplug grows a zone's span while others free into it */
static inline unsigned long zone_end_pfn(const struct zone *z) { return READ_ONCE(z->zone_start_pfn) + READ_ONCE(z->spanned_pages); }
static inline bool populated_zone(const struct zone *z) { return z->present_pages != 0; }
static inline bool managed_zone(const struct zone *z) { return z->managed_pages != 0; }
static inline bool zone_spans_pfn(const struct zone *z, unsigned long pfn)
{
	return pfn >= READ_ONCE(z->zone_start_pfn) && pfn < zone_end_pfn(z);
}
/* Every mark includes the boost (5.0's wmark_pages; the boost stays 0 before 5.0). */
static inline unsigned long zone_boost(const struct zone *z)
{
	return atomic_load_explicit(&((struct zone *)z)->watermark_boost, memory_order_relaxed);
}
#define wmark_pages(z, i)       (READ_ONCE((z)->_watermark[i]) + zone_boost(z))
#define min_wmark_pages(z)      wmark_pages(z, WMARK_MIN)
#define low_wmark_pages(z)      wmark_pages(z, WMARK_LOW)
#define high_wmark_pages(z)     wmark_pages(z, WMARK_HIGH)

/*
 * Zonelists: an array of zonerefs ending in one whose zone is NULL. A reader holds an
 * RCU read-side lock from node_zonelist() to the end of its walk; writers publish a new
 * array and free the old one after a grace period (alloc/zonelist.c).
 */
struct zoneref {
	struct zone *zone;
	int zone_idx;
};
#define MAX_ZONES_PER_ZONELIST (MAX_NUMNODES * MAX_NR_ZONES)
struct zonelist {
	int generation;                         /* m->zonelist_generation when built */
	struct zoneref _zonerefs[];             /* flexible: nr zones + 1 terminator */
};
enum { ZONELIST_FALLBACK, ZONELIST_NOFALLBACK, MAX_ZONELISTS };

typedef struct { uint64_t bits[MAX_NUMNODES / 64]; } nodemask_t;
static inline bool node_isset(int nid, const nodemask_t *m) { return (m->bits[nid / 64] >> (nid % 64)) & 1; }
static inline void node_set(int nid, nodemask_t *m) { m->bits[nid / 64] |= 1ULL << (nid % 64); }
static inline void node_clear(int nid, nodemask_t *m) { m->bits[nid / 64] &= ~(1ULL << (nid % 64)); }
static inline void nodes_clear(nodemask_t *m) { for (int i = 0; i < MAX_NUMNODES / 64; i++) m->bits[i] = 0; }

typedef struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	struct zonelist *_Atomic node_zonelists[MAX_ZONELISTS]; /* RCU-published */
	int nr_zones;                           /* highest populated zone + 1 */
	int node_id;
	bool online;
	unsigned long node_start_pfn;
	unsigned long node_spanned_pages;
	unsigned long node_present_pages;
	struct machine *machine;
	struct kswapd *kswapd;                  /* slow path: kswapd's state (alloc/reclaim.h) */
	struct kswapd *kcompactd;               /* slow path: kcompactd's (the same kind of daemon) */
	struct lru_node *lru;                   /* slow path: the node's reclaim list (alloc/reclaim.h) */
} pg_data_t;

#endif /* ALLOC_MMZONE_H */
