// SPDX-License-Identifier: GPL-2.0
/*
 * slowpath.c - __alloc_pages_slowpath as Linux 4.12 does it, with the model's kswapd,
 * direct reclaim and direct compaction (alloc/kswapd.c, vmscan.c, compaction.c), and the
 * slow path's latency: every entry is timed into per-CPU log-linear histograms by outcome.
 *
 *   wake kswapd on the zonelist's nodes (unless __GFP_KSWAPD_RECLAIM is clear)
 *   retry get_page_from_freelist at the min watermark (gfp_to_alloc_flags: ALLOC_HIGH,
 *     ALLOC_HARDER for atomic)
 *   costly orders (and unmovable order > 0): direct compaction first (async)
 * retry:
 *   __GFP_MEMALLOC: ALLOC_NO_WATERMARKS
 *   get_page_from_freelist; no __GFP_DIRECT_RECLAIM: fail here (never sleeps or reclaims)
 *   direct reclaim (allocstall, shrink the zonelist's nodes), then one more try with the
 *     per-CPU lists drained and highatomic reserves given back
 *   direct compaction at the current priority
 *   __GFP_NORETRY: give up; costly without __GFP_RETRY_MAYFAIL: give up
 *   should_reclaim_retry (MAX_RECLAIM_RETRIES no-progress loops; reclaimable + free
 *     against the min watermark, less a share per loop) -> retry
 *   should_compact_retry -> retry
 *   OOM: one last try at the high watermark; then the OOM killer (alloc/oom.c) kills the
 *     task with the highest oom_badness, and the request retries; no OOM for costly orders, __GFP_NORETRY,
 *     __GFP_RETRY_MAYFAIL (4.13's rule), __GFP_THISNODE or lowmem-only requests;
 *     __GFP_NOFAIL gets the reserves there (WARN_ON_ONCE, ALLOC_NO_WATERMARKS) and retries
 * nopage:
 *   __GFP_NOFAIL: one that cannot reclaim, or has no zone at all, warns and fails; else
 *     try ALLOC_HARDER, wait a little for another thread to free, retry
 *   a failure without __GFP_NOWARN: warn_alloc (rate-limited)
 *
 * Not modelled: cpusets and the cpuset retry, PF_MEMALLOC/TIF_MEMDIE, __GFP_NOFS's
 * "OOM killer returns progress" loop, compaction deferral.
 */
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "alloc/internal.h"
#include "alloc/reclaim.h"
#include "alloc/vmstat.h"
#include "pcp/pcp.h"

const char *const slowpath_outcome_names[NR_SLOWPATH_OUTCOMES] = { "retry", "reclaim", "compact", "oom", "nofail",
								      "fail" };

int slowpath_init(struct machine *m)
{
	struct slowpath_state *sp = calloc(1, sizeof(*sp));

	if (!sp)
		return -1;
	pthread_mutex_init(&sp->lock, NULL);
	pthread_mutex_init(&sp->oom_lock, NULL);
	/* mmap: zeroed and page-aligned, and a CPU's histograms cost memory only once used */
	void *cpu = mmap(NULL, sizeof(struct slowpath_cpu) * (size_t)m->nr_cpus, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (cpu == MAP_FAILED) {
		free(sp);
		return -1;
	}
	sp->cpu = cpu;
	m->slow = sp;
	/*
	 * The LRU state bytes, by pfn, for the whole machine (calloc maps it lazily: untouched
	 * pages cost nothing): memory hotplug may grow a node's span up to max_pfn. A frame's
	 * byte is under the lock of the node whose LRU it is on.
	 */
	sp->lru_state = calloc(m->max_pfn ? m->max_pfn : 1, sizeof(*sp->lru_state));
	sp->lru_young = calloc(m->max_pfn ? m->max_pfn : 1, 1);
	sp->lru_index = calloc(m->max_pfn ? m->max_pfn : 1, sizeof(*sp->lru_index));
	if (!sp->lru_state || !sp->lru_young || !sp->lru_index || writeback_init(m))
		return -1;
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = m->node_data[nid];
		struct lru_node *lru = calloc(1, sizeof(*lru));
		struct kswapd *k = calloc(1, sizeof(*k)), *kc = calloc(1, sizeof(*kc));
		if (!lru || !k || !kc) {
			free(lru);
			free(k);
			free(kc);
			return -1;
		}
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &pgdat->node_zones[z];
			zone->compact = calloc(1, sizeof(*zone->compact));
			if (!zone->compact)
				return -1;
			zone->compact->order_failed = MAX_ORDER;
			if (zone->spanned_pages) {
				unsigned long last = (zone_end_pfn(zone) - 1) & ~(pageblock_nr_pages - 1);
				zone->compact->cached_migrate_pfn[0] = zone->compact->cached_migrate_pfn[1] = zone->zone_start_pfn;
				zone->compact->cached_free_pfn = last;
			}
		}
		pthread_mutex_init(&kc->lock, NULL);
		pthread_cond_init(&kc->wait, NULL);
		pthread_cond_init(&kc->idle, NULL);
		kc->pgdat = pgdat;
		pgdat->kcompactd = kc;
		pthread_mutex_init(&lru->lock, NULL);
		for (int l = 0; l < NR_LRU_LISTS; l++)
			for (int z = 0; z < MAX_NR_ZONES; z++)
				pagelist_init(&lru->lists[l][z]);
		lru->start_pfn = 0;
		lru->spanned = m->max_pfn;
		lru->state = sp->lru_state;
		lru->young = sp->lru_young;
		lru->pgdat = pgdat;
		pgdat->lru = lru;
		pthread_mutex_init(&k->lock, NULL);
		pthread_cond_init(&k->wait, NULL);
		pthread_cond_init(&k->idle, NULL);
		k->pgdat = pgdat;
		pgdat->kswapd = k;
	}
	return 0;
}

void slowpath_exit(struct machine *m)
{
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		pg_data_t *pgdat = m->node_data[nid];
		if (!pgdat)
			continue;
		kswapd_stop(pgdat);
		struct kswapd *k = pgdat->kswapd;
		if (k) {
			pthread_mutex_destroy(&k->lock);
			pthread_cond_destroy(&k->wait);
			pthread_cond_destroy(&k->idle);
			free(k);
			pgdat->kswapd = NULL;
		}
		struct kswapd *kc = pgdat->kcompactd;
		if (kc) {
			pthread_mutex_destroy(&kc->lock);
			pthread_cond_destroy(&kc->wait);
			pthread_cond_destroy(&kc->idle);
			free(kc);
			pgdat->kcompactd = NULL;
		}
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			free(pgdat->node_zones[z].compact);
			pgdat->node_zones[z].compact = NULL;
		}
		struct lru_node *lru = pgdat->lru;
		if (lru) {
			pthread_mutex_destroy(&lru->lock);
			free(lru);
			pgdat->lru = NULL;
		}
	}
	if (m->slow) {
		pthread_mutex_destroy(&m->slow->lock);
		pthread_mutex_destroy(&m->slow->oom_lock);
		writeback_exit(m);
		free(m->slow->lru_state);
		free(m->slow->lru_young);
		free(m->slow->lru_index);
		munmap(m->slow->cpu, sizeof(struct slowpath_cpu) * (size_t)m->nr_cpus);
		free(m->slow);
		m->slow = NULL;
	}
}

/* --- latency histograms --- */

/* Log-linear: SUB exact buckets, then SUB per power of two (the top one takes the rest). */
static inline int hist_bucket(uint64_t v)
{
	const int sb = SLOWPATH_HIST_SUB_BITS;

	if (v < SLOWPATH_HIST_SUB)
		return (int)v;
	int p = 63 - __builtin_clzll(v);
	if (p > 30)
		return SLOWPATH_HIST_BUCKETS - 1;
	return SLOWPATH_HIST_SUB + (p - sb) * SLOWPATH_HIST_SUB + (int)((v >> (p - sb)) & (SLOWPATH_HIST_SUB - 1));
}

static inline uint64_t hist_upper(int idx)
{
	const int sb = SLOWPATH_HIST_SUB_BITS;

	if (idx < SLOWPATH_HIST_SUB)
		return (uint64_t)idx;
	if (idx == SLOWPATH_HIST_BUCKETS - 1)
		return UINT64_MAX;
	int p = sb + (idx - SLOWPATH_HIST_SUB) / SLOWPATH_HIST_SUB, sub = (idx - SLOWPATH_HIST_SUB) % SLOWPATH_HIST_SUB;
	uint64_t lower = (uint64_t)(SLOWPATH_HIST_SUB + sub) << (p - sb);
	return lower + (1ull << (p - sb)) - 1;
}

static void hist_record(struct machine *m, enum slowpath_outcome o, uint64_t ns)
{
	struct slowpath_hist *h = &m->slow->cpu[smp_processor_id()].h[o];
	int b = hist_bucket(ns);

	WRITE_ONCE(h->bucket[b], h->bucket[b] + 1);
	WRITE_ONCE(h->count, h->count + 1);
	WRITE_ONCE(h->sum_ns, h->sum_ns + ns);
	if (ns > h->max_ns)
		WRITE_ONCE(h->max_ns, ns);
}

void slowpath_latency(struct machine *m, int outcome, struct slowpath_latency *out)
{
	unsigned long *b = calloc(SLOWPATH_HIST_BUCKETS, sizeof(*b));
	unsigned long count = 0, sum = 0, max = 0;

	memset(out, 0, sizeof(*out));
	if (!b)
		return;
	for (int cpu = 0; cpu < m->nr_cpus; cpu++)
		for (int o = 0; o < NR_SLOWPATH_OUTCOMES; o++) {
			if (outcome != SLOWPATH_ALL && o != outcome)
				continue;
			struct slowpath_hist *h = &m->slow->cpu[cpu].h[o];
			count += READ_ONCE(h->count);
			sum += READ_ONCE(h->sum_ns);
			unsigned long mx = READ_ONCE(h->max_ns);
			if (mx > max)
				max = mx;
			for (int i = 0; i < SLOWPATH_HIST_BUCKETS; i++)
				b[i] += READ_ONCE(h->bucket[i]);
		}
	out->count = count;
	out->max_ns = max;
	if (count) {
		out->mean_ns = (double)sum / (double)count;
		const double q[4] = { 0.50, 0.90, 0.99, 0.999 };
		uint64_t *dst[4] = { &out->p50_ns, &out->p90_ns, &out->p99_ns, &out->p999_ns };
		unsigned long total = 0;
		for (int i = 0; i < SLOWPATH_HIST_BUCKETS; i++)
			total += b[i];
		for (int k = 0; k < 4; k++) {
			unsigned long want = (unsigned long)(q[k] * (double)total + 0.999999), seen = 0;
			if (want < 1)
				want = 1;
			for (int i = 0; i < SLOWPATH_HIST_BUCKETS; i++) {
				seen += b[i];
				if (seen >= want) {
					uint64_t v = hist_upper(i);
					*dst[k] = v > max ? max : v;
					break;
				}
			}
		}
	}
	free(b);
}

void slowpath_latency_reset(struct machine *m)
{
	memset(m->slow->cpu, 0, sizeof(struct slowpath_cpu) * (size_t)m->nr_cpus);
}

double slowpath_fastpath_rate(struct machine *m)
{
	unsigned long ev[NR_VM_EVENT_ITEMS];

	all_vm_events(m, ev);
	if (!ev[PGALLOC_CALLS])
		return 1.0;
	return 1.0 - (double)ev[PGALLOC_SLOWPATH] / (double)ev[PGALLOC_CALLS];
}

/* --- the slow path --- */

static void wake_all_kswapds(unsigned int order, const struct alloc_context *ac)
{
	pg_data_t *last_pgdat = NULL;

	for (struct zoneref *z = ac->preferred_zoneref; z->zone; z++) {
		if (z->zone_idx > (int)ac->high_zoneidx || (ac->nodemask && !node_isset(z->zone->node, ac->nodemask)))
			continue;
		if (z->zone->zone_pgdat == last_pgdat)
			continue;
		last_pgdat = z->zone->zone_pgdat;
		wakeup_kswapd(z->zone, (int)order, ac->high_zoneidx);
	}
}

static inline bool gfp_pfmemalloc_allowed(gfp_t gfp_mask)
{
	return (gfp_mask & __GFP_MEMALLOC) && !(gfp_mask & __GFP_NOMEMALLOC);
}

static struct page *__alloc_pages_direct_reclaim(gfp_t gfp_mask, unsigned int order, unsigned int alloc_flags,
						 const struct alloc_context *ac, unsigned long *did_some_progress)
{
	struct page *page;
	bool drained = false;

	*did_some_progress = try_to_free_pages(gfp_mask, order, ac);
	if (!*did_some_progress)
		return NULL;
retry:
	page = get_page_from_freelist(gfp_mask, order, (int)alloc_flags, ac);
	/* freed pages may sit on per-CPU lists or behind highatomic reserves */
	if (!page && !drained) {
		unreserve_highatomic_pageblock(ac, false);
		drain_all_pages(ac->m, NULL);
		drained = true;
		goto retry;
	}
	return page;
}

static struct page *__alloc_pages_direct_compact(gfp_t gfp_mask, unsigned int order, unsigned int alloc_flags,
						 const struct alloc_context *ac, enum compact_priority prio,
						 enum compact_result *compact_result)
{
	if (!order)
		return NULL;
	*compact_result = try_to_compact_pages(gfp_mask, order, alloc_flags, ac, prio);
	if (*compact_result <= COMPACT_INACTIVE)
		return NULL;
	count_vm_event(COMPACTSTALL);
	struct page *page = get_page_from_freelist(gfp_mask, order, (int)alloc_flags, ac);
	if (page) {
		compaction_defer_reset(page_zone(ac->m, page), (int)order, true);
		count_vm_event(COMPACTSUCCESS);
		return page;
	}
	count_vm_event(COMPACTFAIL);
	return NULL;
}

static bool should_reclaim_retry(gfp_t gfp_mask, unsigned int order, const struct alloc_context *ac,
				 unsigned int alloc_flags, bool did_some_progress, int *no_progress_loops)
{
	(void)gfp_mask;
	if (did_some_progress && order <= PAGE_ALLOC_COSTLY_ORDER)
		*no_progress_loops = 0;
	else
		(*no_progress_loops)++;
	/* before OOM, exhaust the highatomic reserve */
	if (*no_progress_loops > MAX_RECLAIM_RETRIES)
		return unreserve_highatomic_pageblock(ac, true);
	for (struct zoneref *z = ac->preferred_zoneref; z->zone; z++) {
		struct zone *zone = z->zone;
		if (z->zone_idx > (int)ac->high_zoneidx || (ac->nodemask && !node_isset(zone->node, ac->nodemask)))
			continue;
		unsigned long reclaimable = zone_reclaimable_pages(zone), available = reclaimable;
		available -= ((unsigned long)*no_progress_loops * available + MAX_RECLAIM_RETRIES - 1) / MAX_RECLAIM_RETRIES;
		available += (unsigned long)zone_page_state_snapshot(zone, NR_FREE_PAGES);
		if (__zone_watermark_ok(zone, order, min_wmark_pages(zone), ac_classzone_idx(ac), alloc_flags, (long)available)) {
			sched_yield();  /* cond_resched */
			return true;
		}
	}
	return false;
}

static bool should_compact_retry(const struct alloc_context *ac, unsigned int order, unsigned int alloc_flags,
				 enum compact_result compact_result, enum compact_priority *compact_priority,
				 int *compaction_retries)
{
	int max_retries = MAX_RECLAIM_RETRIES;  /* MAX_COMPACT_RETRIES */

	if (!order)
		return false;
	if (compaction_made_progress(compact_result))
		(*compaction_retries)++;
	if (compaction_failed(compact_result))
		goto check_priority;
	if (compaction_withdrawn(compact_result))
		return compaction_zonelist_suitable(ac, (int)order, (int)alloc_flags);
	if (order > PAGE_ALLOC_COSTLY_ORDER)
		max_retries /= 4;
	if (*compaction_retries <= max_retries)
		return true;
check_priority:;
	int min_priority = order > PAGE_ALLOC_COSTLY_ORDER ? MIN_COMPACT_COSTLY_PRIORITY : MIN_COMPACT_PRIORITY;
	if ((int)*compact_priority > min_priority) {
		(*compact_priority)--;
		*compaction_retries = 0;
		return true;
	}
	return false;
}

/* The kernel's WARN_ON_ONCE, once per machine: each a bit of slowpath_state.warned_once. */
enum slowpath_warn {
	WARN_NOFAIL_OOM = 1,            /* __alloc_pages_may_oom: nothing to kill for a __GFP_NOFAIL request */
	WARN_NOFAIL_NO_RECLAIM = 2,     /* nopage: __GFP_NOFAIL that cannot reclaim (atomic, nowait) */
	WARN_NOFAIL_COSTLY = 4,         /* nopage: __GFP_NOFAIL of a costly order */
	WARN_NOFAIL_NO_ZONE = 8,        /* nopage: __GFP_NOFAIL with no zone to take from */
};

static void __attribute__((format(printf, 3, 4))) warn_once(struct machine *m, enum slowpath_warn w, const char *fmt, ...)
{
	va_list ap;

	if (m->slow && (atomic_fetch_or(&m->slow->warned_once, (unsigned)w) & (unsigned)w))
		return;
	va_start(ap, fmt);
	vwarnf(m, fmt, ap);
	va_end(ap);
}

/*
 * warn_alloc: "page allocation failure: order:N, mode:0x..(names), nodemask=..." for a
 * failed request without __GFP_NOWARN, at most 10 a 5 s (the kernel's ratelimit).
 */
static void warn_alloc(gfp_t gfp_mask, unsigned int order, const struct alloc_context *ac)
{
	struct machine *m = ac->m;
	char names[256], nodes[128] = "(null)";

	if (gfp_mask & __GFP_NOWARN)
		return;
	if (m->slow) {
		uint64_t now = now_ns(), start = atomic_load(&m->slow->warn_window_ns);
		if (now - start > 5000000000ull && atomic_compare_exchange_strong(&m->slow->warn_window_ns, &start, now))
			atomic_store(&m->slow->warn_in_window, 0);
		if (atomic_fetch_add(&m->slow->warn_in_window, 1) >= 10)
			return;
	}
	gfp_format(gfp_mask, names, sizeof(names));
	if (ac->nodemask) {
		size_t len = 0;
		nodes[0] = 0;
		for (int n = 0; n < MAX_NUMNODES && len + 8 < sizeof(nodes); n++) {
			if (!node_isset(n, ac->nodemask) || (n && node_isset(n - 1, ac->nodemask)))
				continue;
			int e = n;
			while (e + 1 < MAX_NUMNODES && node_isset(e + 1, ac->nodemask))
				e++;
			len += (size_t)snprintf(nodes + len, sizeof(nodes) - len, e > n ? "%s%d-%d" : "%s%d", len ? "," : "", n, e);
		}
	}
	FILE *f = m->report ? m->report : stderr;
	fprintf(f, "WARNING: page allocation failure: order:%u, mode:%#x(%s), nodemask=%s\n", order, (unsigned)gfp_mask,
		names, nodes);
	fflush(f);
}

/*
 * __alloc_pages_may_oom (4.12): one OOM killer at a time (oom_lock: a caller that cannot
 * take it reports progress and retries, as the kernel's schedule_timeout does), a last try
 * at the high watermark (someone else may have freed), then the OOM decision. The OOM
 * killer does not help costly orders, lowmem-only requests or __GFP_THISNODE (nor, from
 * 4.13, __GFP_NORETRY/__GFP_RETRY_MAYFAIL). out_of_memory kills the task with the highest
 * oom_badness and its memory comes back at once (alloc/oom.c); with no task to kill the
 * kernel panics, the model reports it and makes no progress. A __GFP_NOFAIL request gets
 * the reserves there (WARN_ON_ONCE when nothing was killed, and
 * __alloc_pages_cpuset_fallback with ALLOC_NO_WATERMARKS) and progress, so it retries.
 */
static struct page *__alloc_pages_may_oom(gfp_t gfp_mask, unsigned int order, const struct alloc_context *ac,
					  unsigned long *did_some_progress, bool *killed)
{
	struct slowpath_state *sp = ac->m->slow;
	struct page *page = NULL;

	*did_some_progress = 0;
	*killed = false;
	if (pthread_mutex_trylock(&sp->oom_lock)) {
		*did_some_progress = 1;
		mm_wait_until(mm_now_ns() + 1000000);   /* schedule_timeout_uninterruptible(1) */
		return NULL;
	}
	page = get_page_from_freelist(gfp_mask, order, ALLOC_WMARK_HIGH | ALLOC_CPUSET, ac);
	if (page)
		goto out;
	if (order > PAGE_ALLOC_COSTLY_ORDER)
		goto out;
	if (gfp_mask & (__GFP_NORETRY | __GFP_RETRY_MAYFAIL | __GFP_THISNODE))
		goto out;
	if (ac->high_zoneidx < ZONE_NORMAL)     /* the OOM killer does not kill for lowmem */
		goto out;
	*killed = out_of_memory(ac->m, gfp_mask, order);
	if (*killed) {
		*did_some_progress = 1;
	} else if (gfp_mask & __GFP_NOFAIL) {
		warn_once(ac->m, WARN_NOFAIL_OOM, "__alloc_pages_may_oom: __GFP_NOFAIL order %u and the OOM killer "
			  "cannot help: giving it the reserves (ALLOC_NO_WATERMARKS)", order);
		*did_some_progress = 1;
	}
	if (*did_some_progress && (gfp_mask & __GFP_NOFAIL)) {
		page = get_page_from_freelist(gfp_mask, order, ALLOC_NO_WATERMARKS | ALLOC_CPUSET, ac);
		if (!page)
			page = get_page_from_freelist(gfp_mask, order, ALLOC_NO_WATERMARKS, ac);
	}
out:
	pthread_mutex_unlock(&sp->oom_lock);
	return page;
}

static struct page *slowpath(gfp_t gfp_mask, unsigned int order, struct alloc_context *ac,
			     enum slowpath_outcome *outcome)
{
	const bool can_direct_reclaim = gfp_mask & __GFP_DIRECT_RECLAIM;
	const bool costly_order = order > PAGE_ALLOC_COSTLY_ORDER;
	unsigned int alloc_flags;
	unsigned long did_some_progress = 0;
	enum compact_priority compact_priority = DEF_COMPACT_PRIORITY;
	enum compact_result compact_result = COMPACT_SKIPPED;
	int compaction_retries = 0, no_progress_loops = 0;
	enum slowpath_outcome last = SLOWPATH_RETRY;   /* what ran last before a success */
	unsigned nofail_waits = 0;
	bool oom_killed = false, nofail_waited = false;    /* these name the outcome, whatever ran last */
	struct page *page;

	alloc_flags = gfp_to_alloc_flags(gfp_mask);
	if (!ac->preferred_zoneref->zone)
		goto nopage;
	if (gfp_mask & __GFP_KSWAPD_RECLAIM)
		wake_all_kswapds(order, ac);
	page = get_page_from_freelist(gfp_mask, order, (int)alloc_flags, ac);
	if (page)
		goto got_pg;
	/* costly orders, and unmovable order > 0, try compaction before reclaim */
	if (can_direct_reclaim && (costly_order || (order > 0 && ac->migratetype != MIGRATE_MOVABLE)) &&
	    !gfp_pfmemalloc_allowed(gfp_mask)) {
		page = __alloc_pages_direct_compact(gfp_mask, order, alloc_flags, ac, INIT_COMPACT_PRIORITY, &compact_result);
		if (page) {
			last = SLOWPATH_COMPACT;
			goto got_pg;
		}
		if (compact_result > COMPACT_INACTIVE)
			last = SLOWPATH_COMPACT;
		if (costly_order && (gfp_mask & __GFP_NORETRY)) {
			if (compact_result == COMPACT_DEFERRED)
				goto nopage;
			compact_priority = INIT_COMPACT_PRIORITY;
		}
	}
retry:
	if (gfp_mask & __GFP_KSWAPD_RECLAIM)
		wake_all_kswapds(order, ac);
	if (gfp_pfmemalloc_allowed(gfp_mask))
		alloc_flags = ALLOC_NO_WATERMARKS;
	page = get_page_from_freelist(gfp_mask, order, (int)alloc_flags, ac);
	if (page)
		goto got_pg;
	if (!can_direct_reclaim)
		goto nopage;    /* atomic: never sleeps, reclaims or compacts */
	page = __alloc_pages_direct_reclaim(gfp_mask, order, alloc_flags, ac, &did_some_progress);
	if (did_some_progress)
		last = SLOWPATH_RECLAIM;
	if (page)
		goto got_pg;
	page = __alloc_pages_direct_compact(gfp_mask, order, alloc_flags, ac, compact_priority, &compact_result);
	if (page) {
		last = SLOWPATH_COMPACT;
		goto got_pg;
	}
	if (order && compact_result > COMPACT_INACTIVE)
		last = SLOWPATH_COMPACT;
	if (gfp_mask & __GFP_NORETRY)
		goto nopage;
	/* 4.12: costly orders retry only with __GFP_REPEAT, 4.13's __GFP_RETRY_MAYFAIL */
	if (costly_order && !(gfp_mask & __GFP_RETRY_MAYFAIL))
		goto nopage;
	if (should_reclaim_retry(gfp_mask, order, ac, alloc_flags, did_some_progress > 0, &no_progress_loops))
		goto retry;
	if (did_some_progress > 0 &&
	    should_compact_retry(ac, order, alloc_flags, compact_result, &compact_priority, &compaction_retries))
		goto retry;
	bool killed;
	page = __alloc_pages_may_oom(gfp_mask, order, ac, &did_some_progress, &killed);
	oom_killed |= killed;
	if (page)
		goto got_pg;
	if (did_some_progress) {
		no_progress_loops = 0;
		goto retry;
	}
nopage:
	if (gfp_mask & __GFP_NOFAIL) {
		/* 4.12: every __GFP_NOFAIL user must be able to block; a request that cannot fails */
		if (!can_direct_reclaim) {
			warn_once(ac->m, WARN_NOFAIL_NO_RECLAIM, "__alloc_pages_slowpath: __GFP_NOFAIL without "
				  "__GFP_DIRECT_RECLAIM cannot wait for memory: failing");
			goto fail;
		}
		/* no zone at all (an empty nodemask, __GFP_THISNODE on a node without memory): the
		 * kernel would loop here for ever; the model says so and fails */
		if (!ac->preferred_zoneref->zone) {
			warn_once(ac->m, WARN_NOFAIL_NO_ZONE, "__alloc_pages_slowpath: __GFP_NOFAIL with no zone to "
				  "allocate from (empty nodemask, or __GFP_THISNODE on a node without memory): failing");
			goto fail;
		}
		if (costly_order)
			warn_once(ac->m, WARN_NOFAIL_COSTLY, "__alloc_pages_slowpath: __GFP_NOFAIL of costly order %u", order);
		/* __alloc_pages_cpuset_fallback with ALLOC_HARDER, then wait for a free */
		page = get_page_from_freelist(gfp_mask, order, ALLOC_HARDER | ALLOC_CPUSET, ac);
		if (!page)
			page = get_page_from_freelist(gfp_mask, order, ALLOC_HARDER, ac);
		nofail_waited = true;
		if (page)
			goto got_pg;
		if (++nofail_waits < 16)
			sched_yield();
		else
			mm_wait_until(mm_now_ns() + 100000);   /* 100 us */
		goto retry;
	}
fail:
	warn_alloc(gfp_mask, order, ac);
	*outcome = SLOWPATH_FAIL;
	return NULL;
got_pg:
	*outcome = nofail_waited ? SLOWPATH_NOFAIL : oom_killed ? SLOWPATH_OOM : last;
	return page;
}

struct page *__alloc_pages_slowpath(gfp_t gfp_mask, unsigned int order, struct alloc_context *ac)
{
	enum slowpath_outcome outcome = SLOWPATH_FAIL;
	uint64_t t0 = mm_now_ns();      /* virtual time under the simulator */

	VT_CHARGE(SLOWPATH, 1);
	struct page *page = slowpath(gfp_mask, order, ac, &outcome);

	if (likely(ac->m->slow && current_binding.cs))
		hist_record(ac->m, outcome, mm_now_ns() - t0);
	return page;
}
