// SPDX-License-Identifier: GPL-2.0
/*
 * sim.c - the scheduler of the many-core simulator (see sim.h): a heap of threads by
 * (clock, id); the earliest runs one operation; barriers, kswapd wakeups, results.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alloc/internal.h"
#include "alloc/reclaim.h"
#include "vtime/sim_internal.h"

const char *const vsim_workload_name[NR_VSIM_WORKLOADS] = {
#define VSIM_WL_NAME(id, name, what) name,
	VSIM_WORKLOADS(VSIM_WL_NAME)
#undef VSIM_WL_NAME
};
const char *const vsim_workload_what[NR_VSIM_WORKLOADS] = {
#define VSIM_WL_WHAT(id, name, what) what,
	VSIM_WORKLOADS(VSIM_WL_WHAT)
#undef VSIM_WL_WHAT
};

int vsim_workload_by_name(const char *name)
{
	for (int w = 0; w < NR_VSIM_WORKLOADS; w++)
		if (!strcmp(name, vsim_workload_name[w]))
			return w;
	return -1;
}

void vsim_params_default(struct vsim_params *p)
{
	memset(p, 0, sizeof(*p));
	p->policy = PCP_POLICY_LINUX_6_18;
	p->scheme = PCP_SCHEME_OWNER;
	p->workload = VSIM_BULK;
	p->nr_cpus = 1;
	p->seed = 1;
	p->thisnode = true;
}

/* --- the ops ------------------------------------------------------------------------- */

static inline unsigned long slowpath_events(void)
{
	return current_binding.cs->vm_events[PGALLOC_SLOWPATH];
}

struct page *vsim_alloc(struct vsim *s, struct vsim_thread *t, unsigned order, gfp_t gfp)
{
	uint64_t t0 = t->vt.clock;
	unsigned long slow = slowpath_events();

	VT_CHARGE(ALLOC_CALL, 1);
	struct page *page = alloc_pages(gfp, order);
	uint64_t d = t->vt.clock - t0;
	s->r->alloc_ps += d;
	s->r->ops++;
	if (page)
		s->r->allocs++;
	else
		s->r->alloc_failures++;
	if (slowpath_events() != slow) {
		if (s->nr_lat == s->cap_lat) {
			size_t cap = s->cap_lat ? s->cap_lat * 2 : 1024;
			uint64_t *l = realloc(s->lat, cap * sizeof(*l));
			if (l) {
				s->lat = l;
				s->cap_lat = cap;
			}
		}
		if (s->nr_lat < s->cap_lat)
			s->lat[s->nr_lat++] = d;
	}
	return page;
}

void vsim_free(struct vsim *s, struct vsim_thread *t, struct page *page, unsigned order, int alloc_cpu)
{
	uint64_t t0 = t->vt.clock;

	VT_CHARGE(FREE_CALL, 1);
	__free_pages(page, order);
	s->r->free_ps += t->vt.clock - t0;
	s->r->ops++;
	s->r->frees++;
	if (alloc_cpu != t->index)
		s->r->remote_frees++;
}

void vsim_quiet_cpu(struct vsim *s, int cpu)
{
	vcpu_switch(&s->host, cpu);
	/* with the world up a wait (writeback, a truncate) moves this clock, not the host's */
	vt_current = s->world ? &s->th[cpu].vt : NULL;
}

void vsim_free_quiet(struct vsim *s, int cpu, struct page *page, unsigned order)
{
	vsim_quiet_cpu(s, cpu);
	__free_pages(page, order);
}

static long workingset_refaults(struct machine *m)
{
	long v = 0;

	for (int nid = 0; nid < m->nr_nodes; nid++)
		v += node_page_state(m->node_data[nid]->lru, WORKINGSET_REFAULT_ANON) +
		     node_page_state(m->node_data[nid]->lru, WORKINGSET_REFAULT_FILE);
	return v;
}

void vsim_measure_restart(struct vsim *s)
{
	struct vsim_result *r = s->r;

	vcpu_read_counters(s->m, &s->before);
	s->refault0 = workingset_refaults(s->m);
	slowpath_latency_reset(s->m);
	r->ops = r->allocs = r->frees = r->alloc_failures = r->remote_frees = r->kswapd_runs = 0;
	r->alloc_ps = r->free_ps = r->access_ps = 0;
	s->nr_lat = 0;
	for (int i = 0; i < s->nr_cpus + s->nr_nodes; i++) {
		struct vsim_thread *t = &s->th[i];
		memset(t->vt.nr, 0, sizeof(t->vt.nr));
		t->vt.wait_ps = t->vt.lock_acquisitions = t->vt.lock_contended = t->vt.pcp_trylock_fails = 0;
		t->idle_ps = 0;
		t->start_ps = t->vt.clock;
	}
}

int vsim_busiest_node_cpus(const struct vsim *s)
{
	int busiest = 0, on[MAX_NUMNODES] = { 0 };

	for (int c = 0; c < s->p.nr_cpus; c++) {
		int n = vt_topology_node(&s->p.topology, c);
		if (++on[n] > busiest)
			busiest = on[n];
	}
	return busiest;
}

/* --- the heap of runnable threads, by (clock, id) ------------------------------------ */

struct heap {
	struct vsim_thread **h;
	int n;
};

static inline bool before(const struct vsim_thread *a, const struct vsim_thread *b)
{
	return a->vt.clock < b->vt.clock || (a->vt.clock == b->vt.clock && a->vt.id < b->vt.id);
}

static void heap_set(struct heap *hp, int i, struct vsim_thread *t)
{
	hp->h[i] = t;
	t->heap_pos = i;
}

static void sift_up(struct heap *hp, int i)
{
	struct vsim_thread *t = hp->h[i];
	while (i > 0) {
		int parent = (i - 1) / 2;
		if (!before(t, hp->h[parent]))
			break;
		heap_set(hp, i, hp->h[parent]);
		i = parent;
	}
	heap_set(hp, i, t);
}

static void sift_down(struct heap *hp, int i)
{
	struct vsim_thread *t = hp->h[i];
	for (;;) {
		int c = 2 * i + 1;
		if (c >= hp->n)
			break;
		if (c + 1 < hp->n && before(hp->h[c + 1], hp->h[c]))
			c++;
		if (!before(hp->h[c], t))
			break;
		heap_set(hp, i, hp->h[c]);
		i = c;
	}
	heap_set(hp, i, t);
}

static void heap_push(struct heap *hp, struct vsim_thread *t)
{
	heap_set(hp, hp->n++, t);
	sift_up(hp, hp->n - 1);
}

static void heap_pop(struct heap *hp)
{
	hp->h[0]->heap_pos = -1;
	if (--hp->n > 0) {
		heap_set(hp, 0, hp->h[hp->n]);
		sift_down(hp, 0);
	}
}

/* --- building the machine --------------------------------------------------------------- */

static struct machine *build_machine(struct vsim *s, char *err, size_t errlen)
{
	const struct vsim_params *p = &s->p;
	const struct vt_topology *t = &p->topology;
	struct machine_desc *d = malloc(sizeof(*d));
	int cpus = vt_topology_cpus(t), nodes = vt_topology_nodes(t);

	if (!d) {
		errf(err, errlen, "vtime: out of memory");
		return NULL;
	}
	if (p->base)
		*d = *p->base;
	else
		machine_desc_default(d);
	unsigned long per_node = p->mem_per_node;
	if (!per_node && !s->ops->machine_desc) {
		/*
		 * What the busiest node's CPUs hold (each allocates locally), a quarter to spare, and
		 * 4 GiB more: node 0's DMA32 zone takes its first 4 GiB, and the workload should fit
		 * in ZONE_NORMAL (a nearly empty Normal zone above DMA32 is another experiment).
		 */
		unsigned long pages = s->ops->pages_per_cpu(s) * (unsigned long)vsim_busiest_node_cpus(s);
		per_node = (pages + pages / 4) * PAGE_SIZE + (4UL << 30);
		per_node = (per_node + (128UL << 20) - 1) & ~((128UL << 20) - 1);
	}
	if (s->ops->machine_desc ? s->ops->machine_desc(s, d, nodes, cpus, err, errlen)
				 : machine_desc_simple(d, nodes, per_node, cpus, err, errlen)) {
		free(d);
		return NULL;
	}
	for (int c = 0; c < cpus; c++)
		d->cpu_to_node[c] = vt_topology_node(t, c);
	d->policy = p->policy;
	d->scheme = p->scheme;
	d->zone_lock = ZONE_LOCK_QUEUED;        /* one host thread: the real lock never waits */
	struct machine *m = machine_create(d, err, errlen);
	free(d);
	return m;
}

/* --- results ---------------------------------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static double pct_ns(const uint64_t *v, size_t n, double q)
{
	if (!n)
		return 0;
	size_t i = (size_t)(q * (double)(n - 1) + 0.5);
	return (double)v[i] / 1000.0;
}

static uint64_t fnv(uint64_t h, uint64_t x)
{
	for (int i = 0; i < 8; i++) {
		h ^= (x >> (8 * i)) & 0xff;
		h *= 0x100000001b3ull;
	}
	return h;
}

/* The kernel's reclaim figures over the measurement (vsim_reclaim). */
static void reclaim_figures(struct vsim *s, const struct vcpu_counters *d)
{
	struct vsim_reclaim *rc = &s->r->reclaim;
	const unsigned long *ev = d->vm_events;

	rc->allocs = ev[PGALLOC_CALLS];
	double k = rc->allocs ? 1000.0 / (double)rc->allocs : 0;
	unsigned long stall = 0;
	for (int z = 0; z < MAX_NR_ZONES; z++)
		stall += ev[ALLOCSTALL_DMA + z];
	rc->slowpath_entries_per_1k_allocs = (double)ev[PGALLOC_SLOWPATH] * k;
	rc->allocstall_per_1k_allocs = (double)stall * k;
	rc->workingset_refault_per_1k_allocs = (double)(workingset_refaults(s->m) - s->refault0) * k;
	for (size_t i = 0; i < NR_PRESSURE_PER1K; i++)
		rc->per1k[i] = (double)ev[pressure_per1k[i].e] * k;
	for (int o = 0; o <= NR_SLOWPATH_OUTCOMES; o++) {
		struct slowpath_latency l;
		slowpath_latency(s->m, o == NR_SLOWPATH_OUTCOMES ? SLOWPATH_ALL : o, &l);
		rc->outcome[o].count = l.count;
		rc->outcome[o].p50_ns = (double)l.p50_ns;
		rc->outcome[o].p99_ns = (double)l.p99_ns;
		rc->outcome[o].p999_ns = (double)l.p999_ns;
		rc->outcome[o].max_ns = (double)l.max_ns;
	}
}

static void finish(struct vsim *s, const struct vcpu_counters *before, const struct vcpu_counters *after)
{
	struct vsim_result *r = s->r;
	struct vcpu_counters d;

	vcpu_counters_delta(&d, before, after);
	for (int i = 0; i < s->nr_cpus + s->nr_nodes; i++) {
		const struct vt_cpu *c = &s->th[i].vt;
		for (int k = 0; k < VT_NR_STEPS; k++) {
			r->steps[k] += c->nr[k];
			r->charged_ps += c->nr[k] * s->p.costs.ps[k];
		}
		r->wait_ps += c->wait_ps;
		r->lock_acquisitions += c->lock_acquisitions;
		r->lock_contended += c->lock_contended;
		r->pcp_trylock_fails += c->pcp_trylock_fails;
		if (i < s->nr_cpus) {
			r->busy_ps += c->clock - s->th[i].start_ps - s->th[i].idle_ps;
			if (c->clock > r->makespan_ps)
				r->makespan_ps = c->clock;
		}
	}
	/* kswapd's work is not a CPU's busy time; its charges are in steps and charged_ps */
	r->ns_per_op = r->ops ? (double)(r->alloc_ps + r->free_ps + r->access_ps) / 1000.0 / (double)r->ops : 0;
	r->alloc_ns = r->allocs + r->alloc_failures ? (double)r->alloc_ps / 1000.0 / (double)(r->allocs + r->alloc_failures) : 0;
	r->free_ns = r->frees ? (double)r->free_ps / 1000.0 / (double)r->frees : 0;
	r->zone_lock_share = r->busy_ps ? (double)r->wait_ps / (double)r->busy_ps : 0;
	r->zone_lock_acquisitions_per_1k_allocs = r->allocs ? 1000.0 * (double)r->lock_acquisitions / (double)r->allocs : 0;
	r->refill_pages_per_1k_allocs = vcpu_refill_pages_per_1k_allocs(&d, r->allocs);
	r->drain_pages_per_1k_frees = vcpu_drain_pages_per_1k_frees(&d, r->frees);
	r->pcp_hit_rate = vcpu_pcp_hit_rate(&d);
	r->stranded_pages = after->pcp_pages;
	r->mem_bytes = s->m->max_pfn << PAGE_SHIFT;
	r->min_free_kbytes = s->m->min_free_kbytes;
	if (s->nr_lat)
		qsort(s->lat, s->nr_lat, sizeof(*s->lat), cmp_u64);
	r->slowpath_allocs = s->nr_lat;
	r->slowpath_p50_ns = pct_ns(s->lat, s->nr_lat, 0.50);
	r->slowpath_p99_ns = pct_ns(s->lat, s->nr_lat, 0.99);
	r->slowpath_p999_ns = pct_ns(s->lat, s->nr_lat, 0.999);
	r->slowpath_max_ns = s->nr_lat ? (double)s->lat[s->nr_lat - 1] / 1000.0 : 0;
	reclaim_figures(s, &d);
	if (s->ops->finish)
		s->ops->finish(s, &d);
	uint64_t h = vcpu_buddyinfo_hash(s->m);
	for (int i = 0; i < s->nr_cpus + s->nr_nodes; i++)
		h = fnv(h, s->th[i].vt.clock);
	h = fnv(h, r->ops);
	r->digest = h;
}

/* --- the run ------------------------------------------------------------------------------ */

int vsim_check(const struct vsim_params *p, char *err, size_t errlen)
{
	int cpus = vt_topology_cpus(&p->topology);

	if ((unsigned)p->workload >= NR_VSIM_WORKLOADS)
		return errf(err, errlen, "vtime: no workload %d", (int)p->workload);
	if (p->nr_cpus < 1 || p->nr_cpus > 1024)
		return errf(err, errlen, "vtime: %d CPUs; 1..1024", p->nr_cpus);
	if (p->nr_cpus > cpus) {
		char t[32];
		vt_topology_format(&p->topology, t, sizeof(t));
		return errf(err, errlen, "vtime: %d CPUs do not fit topology %s (%d CPUs)", p->nr_cpus, t, cpus);
	}
	if (p->order >= MAX_ORDER)
		return errf(err, errlen, "vtime: order %u; 0..%d", p->order, MAX_ORDER - 1);
	if (p->workload == VSIM_PAGE_FAULT && p->order)
		return errf(err, errlen, "vtime: page-fault allocates order-0 pages; --order %u does not apply", p->order);
	if (vsim_workload_is_pressure(p->workload) && p->order)
		return errf(err, errlen, "vtime: %s's orders are its own (0, and 9 for thp-burst); --order %u does not apply",
			    vsim_workload_name[p->workload], p->order);
	if (p->workload == VSIM_TEMPLATE && !p->template_path)
		return errf(err, errlen, "vtime: the template workload needs a trace (--template TRACE)");
	if (p->workload != VSIM_TEMPLATE && p->template_path)
		return errf(err, errlen, "vtime: --template is for the template workload, not %s",
			    vsim_workload_name[p->workload]);
	/* a size no workload of this kind reads is refused, not ignored */
	const char *wl = vsim_workload_name[p->workload];
	if ((p->working_set || p->rounds) && p->workload != VSIM_PAGE_FAULT)
		return errf(err, errlen, "vtime: --working-set and --rounds are page-fault's; %s does not take them", wl);
	if (p->blocks && (p->workload == VSIM_PAGE_FAULT || p->workload == VSIM_TEMPLATE))
		return errf(err, errlen, "vtime: --blocks is for repeat, bulk, rand, remote and the pressure workloads; "
				  "%s does not take it", wl);
	if (p->order && p->workload == VSIM_TEMPLATE)
		return errf(err, errlen, "vtime: a template's orders are its trace's; --order %u does not apply", p->order);
	if (!p->thisnode && p->workload != VSIM_REPEAT && p->workload != VSIM_BULK && p->workload != VSIM_RAND)
		return errf(err, errlen, "vtime: --no-thisnode is for repeat, bulk and rand (only they use __GFP_THISNODE); "
				  "%s does not take it", wl);
	return 0;
}

int vsim_run(const struct vsim_params *pin, struct vsim_result *r, char *err, size_t errlen)
{
	struct vsim s = { .p = *pin, .r = r };
	struct vcpu_counters after;
	struct heap hp = { 0 };
	int ret = -1;

	memset(r, 0, sizeof(*r));
	if (!s.p.topology.sockets)
		s.p.topology = (struct vt_topology){ 1, s.p.nr_cpus, 1 };
	if (vsim_check(&s.p, err, errlen))
		return -1;
	s.ops = vsim_workload_ops[s.p.workload];
	s.nr_cpus = s.p.nr_cpus;
	s.gfp = GFP_HIGHUSER_MOVABLE;
	if (s.p.thisnode && (s.p.workload == VSIM_REPEAT || s.p.workload == VSIM_BULK || s.p.workload == VSIM_RAND))
		s.gfp |= __GFP_THISNODE;        /* LLFree's module allocates so; the others as user pages do */
	vcpu_rng_seed(&s.rng, s.p.seed);
	if (s.p.workload == VSIM_TEMPLATE && vsim_template_load(&s, err, errlen))
		return -1;
	s.m = build_machine(&s, err, errlen);
	if (!s.m)
		goto out;
	s.nr_nodes = s.m->nr_nodes;
	int nth = s.nr_cpus + s.nr_nodes;
	s.th = calloc((size_t)nth, sizeof(*s.th));
	hp.h = calloc((size_t)nth, sizeof(*hp.h));
	if (!s.th || !hp.h) {
		errf(err, errlen, "vtime: out of memory for %d threads", nth);
		goto out;
	}
	for (int i = 0; i < nth; i++) {
		struct vsim_thread *t = &s.th[i];
		t->kswapd = i >= s.nr_cpus;
		t->index = t->kswapd ? i - s.nr_cpus : i;
		t->node = t->kswapd ? t->index : vt_topology_node(&s.p.topology, i);
		t->vt.id = (uint16_t)i;
		t->vt.socket = (uint16_t)(t->node / s.p.topology.nodes_per_socket);
		t->heap_pos = -1;
	}
	if (vcpu_attach(&s.host, s.m, s.nr_cpus, err, errlen))
		goto out;
	if (s.ops->setup(&s, err, errlen))
		goto detach;
	uint16_t *socket_of = malloc((size_t)nth * sizeof(*socket_of));
	if (!socket_of) {
		errf(err, errlen, "vtime: out of memory");
		goto teardown;
	}
	for (int i = 0; i < nth; i++)
		socket_of[i] = s.th[i].vt.socket;
	int wr = vt_world_init(s.m, socket_of, s.nr_cpus, nth, &s.p.costs, err, errlen);
	free(socket_of);
	if (wr)
		goto teardown;
	s.world = true;
	vsim_measure_restart(&s);

	for (int i = 0; i < s.nr_cpus; i++)
		heap_push(&hp, &s.th[i]);
	int running = s.nr_cpus, arrived = 0;
	uint64_t wakes = vt_kswapd_wake_count();
	struct timespec h0, h1;
	clock_gettime(CLOCK_MONOTONIC, &h0);
	while (hp.n) {
		struct vsim_thread *t = hp.h[0];
		vt_world_set_now(t->vt.clock);
		vt_current = &t->vt;
		if (t->kswapd) {
			kswapd_run_once(s.m->node_data[t->index]);
			vt_kswapd_done(t->index);
			r->kswapd_runs++;
			heap_pop(&hp);
			continue;
		}
		vcpu_switch(&s.host, t->index);
		enum vsim_op op = s.ops->next(&s, t);
		if (op == VSIM_OP_RAN) {
			sift_down(&hp, 0);
		} else {
			heap_pop(&hp);
			if (op == VSIM_OP_BARRIER) {
				t->parked = true;
				arrived++;
			} else {
				running--;
			}
		}
		if (arrived && arrived == running) {
			/* every running CPU is at the barrier: all continue at the latest clock */
			uint64_t latest = 0;
			for (int i = 0; i < s.nr_cpus; i++)
				if (s.th[i].parked && s.th[i].vt.clock > latest)
					latest = s.th[i].vt.clock;
			vt_current = NULL;
			if (s.ops->barrier)
				s.ops->barrier(&s);
			for (int i = 0; i < s.nr_cpus; i++)
				if (s.th[i].parked) {
					s.th[i].parked = false;
					vsim_idle_until(&s.th[i], latest);
					heap_push(&hp, &s.th[i]);
				}
			arrived = 0;
		}
		if (vt_kswapd_wake_count() != wakes) {
			wakes = vt_kswapd_wake_count();
			for (int nid = 0; nid < s.nr_nodes; nid++) {
				struct vsim_thread *k = &s.th[s.nr_cpus + nid];
				uint64_t at = vt_kswapd_woken_at(nid);
				if (at != UINT64_MAX && k->heap_pos < 0) {
					vsim_idle_until(k, at);
					heap_push(&hp, k);
				}
			}
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &h1);
	vt_current = NULL;
	r->host_seconds = (double)(h1.tv_sec - h0.tv_sec) + (double)(h1.tv_nsec - h0.tv_nsec) / 1e9;
	r->ops_per_host_second = r->host_seconds > 0 ? (double)r->ops / r->host_seconds : 0;
	r->cpus = s.nr_cpus;
	vt_topology_format(&s.p.topology, r->topology, sizeof(r->topology));
	vcpu_read_counters(s.m, &after);
	finish(&s, &s.before, &after);
	ret = 0;
	/* with the world up: what the teardown waits for (writeback) passes in virtual time */
	s.ops->teardown(&s);
	vt_current = NULL;
	s.world = false;
	vt_world_exit();
	goto detach;
teardown:
	vt_current = NULL;
	s.world = false;
	s.ops->teardown(&s);
detach:
	vcpu_detach(&s.host);
out:
	if (s.m)
		machine_destroy(s.m);
	free(s.th);
	free(hp.h);
	free(s.lat);
	if (s.p.workload == VSIM_TEMPLATE)
		vsim_template_unload(&s);
	return ret;
}

void vsim_result_json(const struct vsim_params *p, const struct vsim_result *r, char *buf, size_t len)
{
	snprintf(buf, len,
		 "{\"policy\": \"%s\", \"scheme\": \"%s\", \"workload\": \"%s\", \"order\": %u, \"cpus\": %d, "
		 "\"topology\": \"%s\", \"mem_bytes\": %lu, \"min_free_kbytes\": %d, \"ns_per_op\": %.3f, \"alloc_ns\": %.3f, \"free_ns\": %.3f, "
		 "\"zone_lock_share\": %.6f, \"zone_lock_acquisitions_per_1k_allocs\": %.3f, "
		 "\"refill_pages_per_1k_allocs\": %.3f, \"drain_pages_per_1k_frees\": %.3f, \"pcp_hit_rate\": %.6f, "
		 "\"stranded_pages\": %lu, \"slowpath_allocs\": %lu, \"slowpath_p50_ns\": %.3f, \"slowpath_p99_ns\": %.3f, "
		 "\"slowpath_p999_ns\": %.3f, \"slowpath_max_ns\": %.3f, \"ops\": %lu, \"allocs\": %lu, \"frees\": %lu, "
		 "\"alloc_failures\": %lu, \"remote_frees\": %lu, \"lock_acquisitions\": %llu, \"lock_contended\": %llu, "
		 "\"pcp_trylock_fails\": %llu, \"kswapd_runs\": %lu, \"makespan_ns\": %.3f, \"host_seconds\": %.6f, "
		 "\"ops_per_host_second\": %.0f, \"digest\": \"%016llx\", \"reclaim\": ",
		 pcp_policy(p->policy)->name, p->scheme == PCP_SCHEME_OWNER ? "owner" : "trylock",
		 vsim_workload_name[p->workload], p->order, r->cpus, r->topology, r->mem_bytes, r->min_free_kbytes,
		 r->ns_per_op, r->alloc_ns, r->free_ns,
		 r->zone_lock_share, r->zone_lock_acquisitions_per_1k_allocs, r->refill_pages_per_1k_allocs,
		 r->drain_pages_per_1k_frees, r->pcp_hit_rate, r->stranded_pages, r->slowpath_allocs, r->slowpath_p50_ns,
		 r->slowpath_p99_ns, r->slowpath_p999_ns, r->slowpath_max_ns, r->ops, r->allocs, r->frees,
		 r->alloc_failures, r->remote_frees, (unsigned long long)r->lock_acquisitions,
		 (unsigned long long)r->lock_contended, (unsigned long long)r->pcp_trylock_fails, r->kswapd_runs,
		 (double)r->makespan_ps / 1000.0, r->host_seconds, r->ops_per_host_second,
		 (unsigned long long)r->digest);
	size_t n = strlen(buf);
	const struct vsim_reclaim *rc = &r->reclaim;
#define APPEND(...) (n += (size_t)snprintf(buf + (n < len ? n : len), n < len ? len - n : 0, __VA_ARGS__))
	APPEND("{\"allocs\": %lu, \"slowpath_entries_per_1k_allocs\": %.4f, \"allocstall_per_1k_allocs\": %.4f, "
	       "\"workingset_refault_per_1k_allocs\": %.4f", rc->allocs, rc->slowpath_entries_per_1k_allocs,
	       rc->allocstall_per_1k_allocs, rc->workingset_refault_per_1k_allocs);
	for (size_t i = 0; i < NR_PRESSURE_PER1K; i++)
		APPEND(", \"%s_per_1k_allocs\": %.4f", pressure_per1k[i].name, rc->per1k[i]);
	for (int o = 0; o <= NR_SLOWPATH_OUTCOMES; o++) {
		const char *on = o == NR_SLOWPATH_OUTCOMES ? "all" : slowpath_outcome_names[o];
		APPEND(", \"slowpath_%s\": {\"count\": %lu, \"p50_ns\": %.0f, \"p99_ns\": %.0f, \"p999_ns\": %.0f, "
		       "\"max_ns\": %.0f}", on, rc->outcome[o].count, rc->outcome[o].p50_ns, rc->outcome[o].p99_ns,
		       rc->outcome[o].p999_ns, rc->outcome[o].max_ns);
	}
	APPEND("}}");
#undef APPEND
}
