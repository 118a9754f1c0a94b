// SPDX-License-Identifier: GPL-2.0
/*
 * machine.c - building the model from a description (machine_desc.c): zones from memory
 * ranges (free_area_init_core), mem_map, the boot-time freeing of every managed frame
 * (memblock_free_all), then watermarks (watermark.c) and pagesets; and CPU binding.
 */
#define _GNU_SOURCE            /* pthread_setaffinity_np, cpu_set_t */
#define _LGPL_SOURCE
#include <pthread.h>
#include <sched.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "alloc/host_topology.h"
#include "alloc/internal.h"
#include "alloc/machine.h"
#include "alloc/rcu.h"
#include "alloc/page_alloc.h"
#include "alloc/reclaim.h"
#include "alloc/vmstat.h"
#include "pcp/pcp.h"

__thread struct cpu_binding current_binding = { .cpu = -1 };

static const unsigned long zone_limit_pfn[MAX_NR_ZONES] = {
	[ZONE_DMA] = (16UL << 20) >> PAGE_SHIFT,
	[ZONE_DMA32] = (4UL << 30) >> PAGE_SHIFT,
	[ZONE_NORMAL] = ~0UL,
	[ZONE_MOVABLE] = ~0UL,
};

/* MemAvailable from /proc/meminfo, in bytes (the free pages where it is missing). */
static unsigned long host_available_bytes(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	unsigned long kb = 0;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %lu kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	if (kb)
		return kb << 10;
	long pages = sysconf(_SC_AVPHYS_PAGES), size = sysconf(_SC_PAGESIZE);
	return pages > 0 && size > 0 ? (unsigned long)pages * (unsigned long)size : ~0UL;
}

/*
 * A machine whose metadata cannot fit in this host's memory is refused at once, with the
 * figure it would need: mem_map is touched frame by frame as the model runs (and a THP
 * host backs it in 2 MiB pieces), so a model of petabytes would otherwise grow until the
 * host gives out, not fail.
 */
static int machine_fits_host(const struct machine_desc *d, unsigned long max_pfn, char *err, size_t errlen)
{
	unsigned long present = 0;

	for (int r = 0; r < d->nr_ranges; r++)
		present += d->ranges[r].end_pfn - d->ranges[r].start_pfn;
	unsigned long need = present * sizeof(struct page) + (max_pfn >> pageblock_order) * sizeof(struct pageblock) +
			     (d->backed ? present << PAGE_SHIFT : 0);
	unsigned long avail = host_available_bytes();
	if (need <= avail)
		return 0;
	return errf(err, errlen,
		    "machine: %lu GiB of model memory needs %lu MiB of host memory (mem_map: 16 bytes a frame%s); "
		    "this host has %lu MiB available",
		    (present << PAGE_SHIFT) >> 30, need >> 20, d->backed ? ", and the frames themselves for --backed" : "",
		    avail >> 20);
}

static void machine_set_live(struct machine *m, bool live);

void *page_address_unbacked(struct machine *m)
{
	if (!atomic_exchange(&m->warned_unbacked, 1))
		fprintf(m->report ? m->report : stderr,
			"page_address: machine '%s' is not backed: its frames have no memory (build it with --backed, "
			"'backed = yes' in a config, or pagealloc_desc_backed(d, true))\n", m->desc.name);
	return NULL;
}

static void *map_zeroed(size_t bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	return p == MAP_FAILED ? NULL : p;
}

/* Hand [start, end) of a zone to the buddy in the largest aligned blocks (no merging needed). */
static void free_range_boot(struct zone *zone, unsigned long start, unsigned long end)
{
	struct machine *m = zone->zone_pgdat->machine;
	unsigned long freed = 0;

	while (start < end) {
		unsigned int order = start ? (unsigned int)__builtin_ctzl(start) : MAX_ORDER - 1;
		if (order > MAX_ORDER - 1)
			order = MAX_ORDER - 1;
		while ((1UL << order) > end - start)
			order--;
		struct page *page = __pfn_to_page(m, start);
		struct free_area *area = &zone->free_area[order];
		page->order = (uint8_t)order;
		page->mt = MIGRATE_MOVABLE;
		page->flags = PG_buddy;
		pagelist_add_tail(zone, &area->free_list[MIGRATE_MOVABLE], page);
		area->nr_free++;
		freed += 1UL << order;
		start += 1UL << order;
	}
	atomic_fetch_add_explicit(&zone->vm_stat[NR_FREE_PAGES], (long)freed, memory_order_relaxed);
}

static void zone_init(struct machine *m, pg_data_t *pgdat, int z, unsigned long start, unsigned long end)
{
	struct zone *zone = &pgdat->node_zones[z];

	zone->zone_pgdat = pgdat;
	zone->node = pgdat->node_id;
	zone->idx = (enum zone_type)z;
	zone->name = zone_names[z];
	zone->zone_start_pfn = start;
	zone->spanned_pages = end > start ? end - start : 0;
	zone->zone_mem_map = m->mem_map + start;
	for (int o = 0; o < MAX_ORDER; o++)
		for (int t = 0; t < MIGRATE_TYPES; t++)
			pagelist_init(&zone->free_area[o].free_list[t]);
	zone->lock.virt_tas = zone_lock_virt_tas(&m->desc);
}

/*
 * A queue hands zone->lock to the oldest waiter, running or not: when the threads that
 * may take it (one per model CPU, and a kswapd per node) outnumber the host's CPUs, they
 * take turns on the host and a queue would convoy behind a preempted one, so such a
 * machine uses virt_spin_lock()'s test-and-set, as a guest kernel without paravirtual
 * spinlocks does (qspinlock.h).
 */
bool zone_lock_virt_tas(const struct machine_desc *d)
{
	if (d->zone_lock != ZONE_LOCK_AUTO)
		return d->zone_lock == ZONE_LOCK_TAS;
	long host = sysconf(_SC_NPROCESSORS_ONLN);
	return host > 0 && d->nr_cpus + d->nr_nodes > host;
}

struct machine *machine_create(const struct machine_desc *d, char *err, size_t errlen)
{
	struct machine *m = calloc(1, sizeof(*m));
	unsigned long zstart[MAX_NUMNODES][MAX_NR_ZONES], zend[MAX_NUMNODES][MAX_NR_ZONES];

	if (!m) {
		errf(err, errlen, "out of memory");
		return NULL;
	}
	m->desc = *d;
	m->report = stderr;
	m->nr_nodes = d->nr_nodes;
	m->nr_cpus = d->nr_cpus;
	m->pcp_policy = pcp_policy(d->policy);
	m->scheme = d->scheme;
	m->pcp_fast_variant = d->no_fast_path ? -1 : pcp_fast_variant(d->policy, d->scheme);
	m->user_min_free_kbytes = d->min_free_kbytes;
	if (!m->pcp_policy || (unsigned)d->scheme >= NR_PCP_SCHEMES) {
		errf(err, errlen, "machine: policy %d, scheme %d is not a row of the policy table", (int)d->policy,
		     (int)d->scheme);
		goto fail;
	}
	const char *bad = pcp_policy_check(m->pcp_policy);
	if (bad) {
		errf(err, errlen, "policy %s: %s", m->pcp_policy->name, bad);
		goto fail;
	}
	/* the pcp sysctl this kernel does not have is refused, not ignored */
	enum pcp_fraction_sysctl has = m->pcp_policy->fraction_sysctl, lacks = !has;
	if (pcp_fraction_value(lacks, d)) {
		errf(err, errlen, "%s: %s has no such sysctl (it has %s)", pcp_fraction_name(lacks), m->pcp_policy->name,
		     pcp_fraction_name(has));
		goto fail;
	}
	if (d->watermark_boost_factor >= 0 && !m->pcp_policy->watermark_boost) {
		errf(err, errlen, "watermark_boost_factor: %s has no such sysctl (boosting came in 5.0)", m->pcp_policy->name);
		goto fail;
	}
	m->watermark_boost_factor = !m->pcp_policy->watermark_boost ? 0 : d->watermark_boost_factor < 0 ? 15000 :
				    d->watermark_boost_factor;
	if (d->swappiness > m->pcp_policy->swappiness_max) {
		errf(err, errlen, "swappiness: %d is above %s's maximum %d", d->swappiness, m->pcp_policy->name,
		     m->pcp_policy->swappiness_max);
		goto fail;
	}
	if (d->nr_nodes < 1 || d->nr_nodes > MAX_NUMNODES || d->nr_cpus < 1 || d->nr_cpus > NR_CPUS || !d->nr_ranges) {
		errf(err, errlen, "machine: %d nodes, %d CPUs, %d memory ranges is not a machine", d->nr_nodes, d->nr_cpus,
		     d->nr_ranges);
		goto fail;
	}
	if (zonelist_rcu_check(err, errlen))
		goto fail;
	if (d->scheme == PCP_SCHEME_OWNER && pcp_membarrier_init(err, errlen)) {
		size_t l = strlen(err);
		snprintf(err + l, errlen - l, "; the owner scheme needs it: use --scheme trylock");
		goto fail;
	}
	/* Node spans, then zones: DMA below 16 MiB, DMA32 below 4 GiB, Normal above, Movable on top. */
	for (int r = 0; r < d->nr_ranges; r++) {
		const struct mem_range *rg = &d->ranges[r];
		if (rg->start_pfn >= rg->end_pfn || rg->nid < 0 || rg->nid >= d->nr_nodes) {
			errf(err, errlen, "memory range %d [%#lx, %#lx) on node %d is invalid", r, rg->start_pfn, rg->end_pfn, rg->nid);
			goto fail;
		}
		if (rg->end_pfn > m->max_pfn)
			m->max_pfn = rg->end_pfn;
	}
	m->max_pfn = (m->max_pfn + pageblock_nr_pages - 1) & ~(pageblock_nr_pages - 1);
	if (m->max_pfn > MACHINE_MAX_PFN) {
		errf(err, errlen, "machine: %lu pages is beyond the model's 4 PiB", m->max_pfn);
		goto fail;
	}
	if (machine_fits_host(d, m->max_pfn, err, errlen))
		goto fail;
	m->mem_map_bytes = m->max_pfn * sizeof(struct page);
	m->mem_map = map_zeroed(m->mem_map_bytes);
	m->pageblocks = map_zeroed((m->max_pfn >> pageblock_order) * sizeof(struct pageblock));
	if (!m->mem_map || !m->pageblocks) {
		errf(err, errlen, "machine: cannot map %zu bytes of mem_map", m->mem_map_bytes);
		goto fail;
	}
	if (d->backed) {
		m->arena = map_zeroed(m->max_pfn << PAGE_SHIFT);
		if (!m->arena) {
			errf(err, errlen, "machine: cannot map a %lu MiB arena for --backed", (m->max_pfn << PAGE_SHIFT) >> 20);
			goto fail;
		}
	}
	m->cpus = aligned_alloc(SMP_CACHE_BYTES, sizeof(struct cpu_state) * (size_t)m->nr_cpus);
	if (!m->cpus) {
		errf(err, errlen, "out of memory");
		goto fail;
	}
	memset(m->cpus, 0, sizeof(struct cpu_state) * (size_t)m->nr_cpus);
	for (int c = 0; c < m->nr_cpus; c++) {
		m->cpus[c].cpu = c;
		m->cpus[c].node = d->cpu_to_node[c];
		m->cpus[c].free_key = FREE_KEY_NONE;
	}
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = calloc(1, sizeof(*pgdat));
		if (!pgdat) {
			errf(err, errlen, "out of memory");
			goto fail;
		}
		m->node_data[nid] = pgdat;
		for (int z = 0; z < MAX_NR_ZONES; z++)
			m->zone_table[nid * MAX_NR_ZONES + z + 1] = &pgdat->node_zones[z];
		pgdat->node_id = nid;
		pgdat->machine = m;
		pgdat->online = true;
		unsigned long ns = ~0UL, ne = 0;
		for (int r = 0; r < d->nr_ranges; r++)
			if (d->ranges[r].nid == nid) {
				if (d->ranges[r].start_pfn < ns)
					ns = d->ranges[r].start_pfn;
				if (d->ranges[r].end_pfn > ne)
					ne = d->ranges[r].end_pfn;
			}
		if (ne == 0) {
			errf(err, errlen, "node %d has no memory", nid);
			goto fail;
		}
		pgdat->node_start_pfn = ns;
		pgdat->node_spanned_pages = ne - ns;
		/* ZONE_MOVABLE: the top movablecore pages of the node (find_zone_movable_pfns_for_nodes) */
		unsigned long movable_start = ne;
		if (d->movablecore_pages) {
			unsigned long left = d->movablecore_pages;
			for (int r = d->nr_ranges - 1; r >= 0 && left; r--) {
				const struct mem_range *rg = &d->ranges[r];
				if (rg->nid != nid)
					continue;
				unsigned long len = rg->end_pfn - rg->start_pfn;
				unsigned long take = len < left ? len : left;
				movable_start = rg->end_pfn - take;
				left -= take;
			}
			movable_start = (movable_start + pageblock_nr_pages - 1) & ~(pageblock_nr_pages - 1);
			if (movable_start < zone_limit_pfn[ZONE_DMA32])
				movable_start = zone_limit_pfn[ZONE_DMA32] > ne ? ne : zone_limit_pfn[ZONE_DMA32];
		}
		unsigned long lo = ns;
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			unsigned long hi = z == ZONE_MOVABLE ? ne : zone_limit_pfn[z] < movable_start ? zone_limit_pfn[z] : movable_start;
			if (hi > ne)
				hi = ne;
			if (hi < lo)
				hi = lo;
			zstart[nid][z] = lo;
			zend[nid][z] = hi;
			lo = hi;
		}
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			/* shrink the span to the zone's present memory */
			unsigned long s = ~0UL, e = 0, present = 0;
			for (int r = 0; r < d->nr_ranges; r++) {
				const struct mem_range *rg = &d->ranges[r];
				if (rg->nid != nid)
					continue;
				unsigned long a = rg->start_pfn > zstart[nid][z] ? rg->start_pfn : zstart[nid][z];
				unsigned long b = rg->end_pfn < zend[nid][z] ? rg->end_pfn : zend[nid][z];
				if (a >= b)
					continue;
				present += b - a;
				if (a < s)
					s = a;
				if (b > e)
					e = b;
			}
			if (!present) {
				zone_init(m, pgdat, z, zstart[nid][z], zstart[nid][z]);
				continue;
			}
			/*
			 * DMA32 and Normal spans start at their boundary, and every span ends at its
			 * boundary or the node's end, as the kernel's do (zone_spanned_pages_in_node):
			 * a hole at a zone's end (the PCI hole) is spanned, not present.
			 */
			if (z > ZONE_DMA && zstart[nid][z] < s && zstart[nid][z] >= ns)
				s = zstart[nid][z];
			e = zend[nid][z];
			zone_init(m, pgdat, z, s, e);
			pgdat->node_zones[z].present_pages = present;
			pgdat->node_present_pages += present;
			pgdat->nr_zones = z + 1;
		}
	}
	/*
	 * Pageblock ownership: zones must not share a pageblock. Pageblocks without a present
	 * frame (inside a spanned hole) belong to no zone, like pfns the kernel's pfn_valid()
	 * refuses.
	 */
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &m->node_data[nid]->node_zones[z];
			if (!zone->spanned_pages)
				continue;
			for (unsigned long pb = zone->zone_start_pfn >> pageblock_order;
			     pb <= (zone_end_pfn(zone) - 1) >> pageblock_order; pb++) {
				bool present = false;
				for (int r = 0; r < d->nr_ranges && !present; r++)
					present = d->ranges[r].nid == nid && d->ranges[r].start_pfn < (pb + 1) << pageblock_order &&
						  d->ranges[r].end_pfn > pb << pageblock_order;
				if (!present)
					continue;
				if (m->pageblocks[pb].zone_id) {
					struct zone *other = zone_of_id(m, m->pageblocks[pb].zone_id);
					errf(err, errlen, "zones %d:%s and %d:%s share the pageblock at pfn %#lx (zone boundaries must be 2 MiB aligned)",
					     other->node, other->name, nid, zone->name, pb << pageblock_order);
					goto fail;
				}
				m->pageblocks[pb].zone_id = (uint8_t)(nid * MAX_NR_ZONES + z + 1);
				m->pageblocks[pb].migratetype = MIGRATE_MOVABLE;
			}
		}
	if (m->nr_nodes * MAX_NR_ZONES >= 255) {
		errf(err, errlen, "too many nodes for the pageblock zone ids");
		goto fail;
	}
	/* Reserve, then free every other present frame to the buddy (memblock_free_all). */
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &m->node_data[nid]->node_zones[z];
			if (!zone->present_pages)
				continue;
			unsigned long reserve = d->reserved_pages[nid][z];
			if (reserve == ~0UL)
				reserve = z == ZONE_DMA ? 158 : (z == m->node_data[nid]->nr_zones - 1 ? zone->present_pages / 64 : 0);
			if (reserve > zone->present_pages)
				reserve = zone->present_pages;
			zone->managed_pages = zone->present_pages - reserve;
			for (int r = 0; r < d->nr_ranges; r++) {
				const struct mem_range *rg = &d->ranges[r];
				if (rg->nid != nid)
					continue;
				unsigned long a = rg->start_pfn > zone->zone_start_pfn ? rg->start_pfn : zone->zone_start_pfn;
				unsigned long b = rg->end_pfn < zone_end_pfn(zone) ? rg->end_pfn : zone_end_pfn(zone);
				if (a >= b)
					continue;
				unsigned long skip = reserve < b - a ? reserve : b - a;
				for (unsigned long pfn = a; pfn < a + skip; pfn++)
					m->mem_map[pfn].flags = PG_reserved;
				reserve -= skip;
				free_range_boot(zone, a + skip, b);
			}
		}
	pcp_init_machine(m);            /* pagesets exist before watermarks size them */
	if (build_all_zonelists(m)) {
		errf(err, errlen, "machine: cannot build zonelists");
		goto fail;
	}
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &m->node_data[nid]->node_zones[z];
			zone->pcp_nr_cpus = 0;
			for (int c = 0; c < m->nr_cpus; c++)
				zone->pcp_nr_cpus += d->cpu_to_node[c] == nid;
		}
	init_per_zone_wmark_min(m);
	for_each_zone(m, zone)
		zone_pcp_update(zone);
	if (slowpath_init(m)) {         /* LRU, kswapd state, slow-path histograms */
		errf(err, errlen, "machine: out of memory for the slow path's state");
		goto fail;
	}
	machine_set_live(m, true);
	return m;
fail:
	machine_destroy(m);
	return NULL;
}

void zonelists_free(struct machine *m);

/*
 * The machines alive now, so that a call on a destroyed one is refused with a message
 * instead of reading freed memory: a list of pointers, compared, never followed.
 */
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;
static struct machine *live_machines[256];
static int nr_live;

static void machine_set_live(struct machine *m, bool live)
{
	pthread_mutex_lock(&live_lock);
	for (int i = 0; i < nr_live; i++)
		if (live_machines[i] == m) {
			live_machines[i] = live_machines[--nr_live];
			break;
		}
	if (live && nr_live < (int)(sizeof(live_machines) / sizeof(live_machines[0])))
		live_machines[nr_live++] = m;
	pthread_mutex_unlock(&live_lock);
}

bool machine_live(const struct machine *m)
{
	bool found = false;

	pthread_mutex_lock(&live_lock);
	for (int i = 0; i < nr_live && !found; i++)
		found = live_machines[i] == m;
	pthread_mutex_unlock(&live_lock);
	return found;
}

void machine_destroy(struct machine *m)
{
	if (!m)
		return;
	if (current_binding.m == m)
		cpu_unbind();
	for (int c = 0; m->cpus && c < m->nr_cpus; c++)
		if (atomic_load(&m->cpus[c].owner)) {
			fprintf(m->report ? m->report : stderr,
				"machine_destroy: CPU %d is still bound to another thread: the machine is left in place "
				"(every thread must cpu_unbind first)\n", c);
			return;
		}
	machine_set_live(m, false);
	slowpath_exit(m);               /* stops kswapd first */
	zonelists_free(m);
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		if (!m->node_data[nid])
			continue;
		for (int z = 0; z < MAX_NR_ZONES; z++)
			free(m->node_data[nid]->node_zones[z].pageset);
		free(m->node_data[nid]);
	}
	if (m->mem_map)
		munmap(m->mem_map, m->mem_map_bytes);
	if (m->pageblocks)
		munmap(m->pageblocks, (m->max_pfn >> pageblock_order) * sizeof(struct pageblock));
	if (m->arena)
		munmap(m->arena, m->max_pfn << PAGE_SHIFT);
	free(m->cpus);
	free(m);
}

/* --- CPUs --- */

static __thread char thread_token;
static __thread int rcu_registered;

static void bind_to(struct machine *m, int cpu)
{
	current_binding.m = m;
	current_binding.cs = &m->cpus[cpu];
	current_binding.cpu = cpu;
	if (!rcu_registered) {
		urcu_memb_register_thread();
		rcu_registered = 1;
	}
}

/*
 * Where the host has CPU `cpu` and this thread may run there, pin the thread to it, so a
 * model CPU stays on one host CPU (its pagesets stay in that CPU's caches). On a host of
 * several NUMA nodes, model node n's k-th CPU goes to host node n's k-th CPU (n mod the
 * host's nodes, k mod its CPUs), so the model's nodes sit on the host's. Best effort:
 * a host with fewer CPUs, or a cpuset that excludes it, leaves the thread where it was.
 * cpu_unbind restores the thread's earlier affinity.
 */
static __thread cpu_set_t saved_affinity;
static __thread bool pinned;

static int host_cpu_of(const struct machine *m, int cpu)
{
	const struct host_topology *t = host_topology();

	if (!m || t->nr_nodes < 2)
		return cpu;
	int node = m->cpus[cpu].node, k = 0;
	for (int c = 0; c < cpu; c++)
		k += m->cpus[c].node == node;
	int h = host_cpu_for(t, node, k);
	return h < 0 ? cpu : h;
}

static void pin_to_host_cpu(int cpu)
{
	cpu_set_t allowed, one;

	if (cpu >= CPU_SETSIZE || pthread_getaffinity_np(pthread_self(), sizeof(allowed), &allowed))
		return;
	if (pinned)
		allowed = saved_affinity;
	if (!CPU_ISSET(cpu, &allowed))
		return;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (!pthread_setaffinity_np(pthread_self(), sizeof(one), &one) && !pinned) {
		saved_affinity = allowed;
		pinned = true;
	}
}

static void unpin(void)
{
	if (pinned) {
		pthread_setaffinity_np(pthread_self(), sizeof(saved_affinity), &saved_affinity);
		pinned = false;
	}
}

int cpu_bind(struct machine *m, int cpu)
{
	uintptr_t me = (uintptr_t)&thread_token, expected = 0;

	if (m && !machine_live(m)) {
		fprintf(stderr, "cpu_bind: %p is not a machine (destroyed, or never created)\n", (void *)m);
		return -1;
	}
	if (!m || cpu < 0 || cpu >= m->nr_cpus) {
		fprintf(m && m->report ? m->report : stderr, "cpu_bind: CPU %d does not exist (the machine has %d)\n", cpu,
			m ? m->nr_cpus : 0);
		return -1;
	}
	if (current_binding.m && (current_binding.m != m || current_binding.cpu != cpu))
		cpu_unbind();
	if (!atomic_compare_exchange_strong(&m->cpus[cpu].owner, &expected, me) && expected != me) {
		fprintf(m->report, "cpu_bind: CPU %d is already bound to another thread\n", cpu);
		return -1;
	}
	bind_to(m, cpu);
	pin_to_host_cpu(host_cpu_of(m, cpu));
	return 0;
}

int cpu_bind_many(struct machine *m, const int *cpus, int n)
{
	bool taken[n > 0 ? n : 1];      /* which of these this call took: only those are let go on failure */

	if (!m || !machine_live(m)) {
		fprintf(stderr, "cpu_bind_many: %p is not a machine (destroyed, or never created)\n", (void *)m);
		return -1;
	}
	if (n < 1) {
		fprintf(m->report, "cpu_bind_many: %d CPUs is not a set to bind\n", n);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		uintptr_t me = (uintptr_t)&thread_token, expected = 0;
		taken[i] = false;
		if (cpus[i] < 0 || cpus[i] >= m->nr_cpus ||
		    (!(taken[i] = atomic_compare_exchange_strong(&m->cpus[cpus[i]].owner, &expected, me)) && expected != me)) {
			fprintf(m->report, "cpu_bind_many: CPU %d %s\n", cpus[i],
				cpus[i] < 0 || cpus[i] >= m->nr_cpus ? "does not exist" : "is bound to another thread");
			for (int j = 0; j < i; j++)
				if (taken[j])
					atomic_store(&m->cpus[cpus[j]].owner, 0);
			return -1;
		}
	}
	if (current_binding.m && current_binding.m != m)
		cpu_unbind();
	bind_to(m, cpus[0]);
	return 0;
}

void cpu_switch(int cpu)
{
	struct machine *m = current_binding.m;

	if (!m || cpu < 0 || cpu >= m->nr_cpus || atomic_load(&m->cpus[cpu].owner) != (uintptr_t)&thread_token) {
		fprintf(m ? m->report : stderr, "cpu_switch: this thread does not hold CPU %d\n", cpu);
		abort();
	}
	current_binding.cs = &m->cpus[cpu];
	current_binding.cpu = cpu;
}

void cpu_unbind(void)
{
	struct machine *m = current_binding.m;

	if (!m)
		return;
	for (int c = 0; c < m->nr_cpus; c++) {
		uintptr_t me = (uintptr_t)&thread_token;
		atomic_compare_exchange_strong(&m->cpus[c].owner, &me, 0);
	}
	current_binding.m = NULL;
	current_binding.cs = NULL;
	current_binding.cpu = -1;
	unpin();
	if (rcu_registered) {
		urcu_memb_unregister_thread();
		rcu_registered = 0;
	}
}
