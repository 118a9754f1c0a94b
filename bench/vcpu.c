// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu.c - deterministic virtual-CPU mode (see vcpu.h).
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/internal.h"
#include "bench/vcpu.h"


/* ---- 1. holding and switching CPUs -------------------------------------- */

int vcpu_attach(struct vcpu_host *h, struct machine *m, int nr_cpus, char *err, size_t errlen)
{
	memset(h, 0, sizeof(*h));
	h->cpu = -1;
	if (current_binding.m)
		cpu_unbind();   /* cpu_bind_many does not drop an earlier binding */
	if (!m || nr_cpus < 1 || nr_cpus > m->nr_cpus)
		return errf(err, errlen, "vcpu: %d CPUs asked, the machine has %d", nr_cpus, m ? m->nr_cpus : 0);
	int *cpus = malloc(sizeof(*cpus) * (size_t)nr_cpus);
	if (!cpus)
		return errf(err, errlen, "vcpu: out of memory");
	for (int c = 0; c < nr_cpus; c++)
		cpus[c] = c;
	int r = cpu_bind_many(m, cpus, nr_cpus);
	free(cpus);
	if (r)
		return errf(err, errlen, "vcpu: cpu_bind_many of CPUs 0..%d failed (held by another thread?)", nr_cpus - 1);
	cpu_switch(0);
	h->m = m;
	h->nr_cpus = nr_cpus;
	h->cpu = 0;
	return 0;
}

void vcpu_detach(struct vcpu_host *h)
{
	if (h->m)
		cpu_unbind();
	h->m = NULL;
	h->nr_cpus = 0;
	h->cpu = -1;
}

/* ---- 2. counters ----------------------------------------------------------- */

void vcpu_read_counters(struct machine *m, struct vcpu_counters *c)
{
	unsigned long *per_cpu = calloc((size_t)m->nr_cpus, sizeof(*per_cpu));

	memset(c, 0, sizeof(*c));
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &m->node_data[nid]->node_zones[z];
			c->free_pages += (unsigned long)zone_page_state_snapshot(zone, NR_FREE_PAGES);
			if (!zone->pageset)
				continue;
			for (int i = 0; i < NR_PCP_STAT_ITEMS; i++)
				c->pcp_stat[i] += zone_pcp_stat(zone, (enum pcp_stat_item)i);
			c->pcp_pages += zone_pcp_count(zone);
			for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
				const struct per_cpu_pages *pcp = &zone_pageset(zone, cpu)->pcp;
				c->pcp_high += (unsigned long)READ_ONCE(pcp->high);
				if (per_cpu)
					per_cpu[cpu] += (unsigned long)READ_ONCE(pcp->count);
			}
		}
	for (int cpu = 0; per_cpu && cpu < m->nr_cpus; cpu++)
		if (per_cpu[cpu] > c->pcp_pages_max_cpu)
			c->pcp_pages_max_cpu = per_cpu[cpu];
	free(per_cpu);
	all_vm_events(m, c->vm_events);
}

void vcpu_counters_delta(struct vcpu_counters *d, const struct vcpu_counters *a, const struct vcpu_counters *b)
{
	struct vcpu_counters out = *b;

	for (int i = 0; i < NR_PCP_STAT_ITEMS; i++)
		out.pcp_stat[i] = b->pcp_stat[i] - a->pcp_stat[i];
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		out.vm_events[i] = b->vm_events[i] - a->vm_events[i];
	*d = out;
}

double vcpu_pcp_hit_rate(const struct vcpu_counters *d)
{
	unsigned long a = d->pcp_stat[PCP_STAT_ALLOC];
	return a ? (double)d->pcp_stat[PCP_STAT_HIT] / (double)a : 0;
}

double vcpu_refill_pages_per_1k_allocs(const struct vcpu_counters *d, unsigned long allocs)
{
	return allocs ? 1000.0 * (double)d->pcp_stat[PCP_STAT_REFILL_PAGES] / (double)allocs : 0;
}

double vcpu_drain_pages_per_1k_frees(const struct vcpu_counters *d, unsigned long frees)
{
	return frees ? 1000.0 * (double)d->pcp_stat[PCP_STAT_DRAIN_PAGES] / (double)frees : 0;
}

/* ---- 3. the seeded workload -------------------------------------------------- */

void vcpu_params_default(struct vcpu_params *p)
{
	memset(p, 0, sizeof(*p));
	p->seed = 1;
	p->nr_cpus = 8;
	p->steps = 20000ul * 8;
	p->working_set = 256;
	p->alloc_permille = 500;
	p->remote_free_permille = 100;
	p->order_weight[0] = 900;
	p->order_weight[1] = 40;
	p->order_weight[2] = 30;
	p->order_weight[3] = 30;
	p->burst_max = 16;
	p->tick_interval = 1000ul * 8;
	p->gfp = GFP_KERNEL;
}

struct vcpu_block {
	struct page *page;
	unsigned long order;
};

struct vcpu_set {               /* one CPU's working set: the blocks it allocated */
	struct vcpu_block *b;
	unsigned n;
};

struct vcpu_sim {
	struct machine *m;
	struct vcpu_params p;
	struct vcpu_host host;
	struct vcpu_rng rng;
	struct vcpu_set *sets;          /* [nr_cpus] */
	struct vcpu_block *storage;     /* nr_cpus * working_set */
	unsigned order_total;
	unsigned long burst_left;       /* steps left for the current CPU */
	struct vcpu_result r;           /* counts; the counters are filled by vcpu_sim_result */
};

struct vcpu_sim *vcpu_sim_create(struct machine *m, const struct vcpu_params *p, char *err, size_t errlen)
{
	unsigned order_total = 0;

	for (int o = 0; o < VCPU_NR_ORDERS; o++)
		order_total += p->order_weight[o];
	if (!m || p->nr_cpus < 1 || p->nr_cpus > m->nr_cpus) {
		errf(err, errlen, "vcpu: nr_cpus %d is out of range 1..%d", p->nr_cpus, m ? m->nr_cpus : 0);
		return NULL;
	}
	if (!p->working_set || !order_total || p->alloc_permille > 1000 || p->remote_free_permille > 1000 ||
	    !p->burst_max) {
		errf(err, errlen, "vcpu: working_set, burst_max and an order weight must be nonzero; "
				  "alloc and remote-free permilles at most 1000");
		return NULL;
	}
	struct vcpu_sim *s = calloc(1, sizeof(*s));
	if (!s) {
		errf(err, errlen, "vcpu: out of memory");
		return NULL;
	}
	s->m = m;
	s->p = *p;
	s->order_total = order_total;
	s->sets = calloc((size_t)p->nr_cpus, sizeof(*s->sets));
	s->storage = calloc((size_t)p->nr_cpus * p->working_set, sizeof(*s->storage));
	if (!s->sets || !s->storage) {
		free(s->sets);
		free(s->storage);
		free(s);
		errf(err, errlen, "vcpu: out of memory for %d working sets of %u blocks", p->nr_cpus, p->working_set);
		return NULL;
	}
	for (int c = 0; c < p->nr_cpus; c++)
		s->sets[c].b = s->storage + (size_t)c * p->working_set;
	if (vcpu_attach(&s->host, m, p->nr_cpus, err, errlen)) {
		free(s->sets);
		free(s->storage);
		free(s);
		return NULL;
	}
	vcpu_rng_seed(&s->rng, p->seed);
	vcpu_read_counters(m, &s->r.before);
	return s;
}

struct vcpu_host *vcpu_sim_host(struct vcpu_sim *s)
{
	return &s->host;
}

static unsigned pick_order(struct vcpu_sim *s)
{
	uint64_t x = vcpu_rng_below(&s->rng, s->order_total);
	for (unsigned o = 0; o < VCPU_NR_ORDERS; o++) {
		if (x < s->p.order_weight[o])
			return o;
		x -= s->p.order_weight[o];
	}
	return 0;
}

/* Remove block i of set (swap with the last) and free it on the current CPU. */
static void free_from(struct vcpu_sim *s, struct vcpu_set *set, unsigned i)
{
	struct vcpu_block b = set->b[i];
	set->b[i] = set->b[--set->n];
	__free_pages(b.page, (unsigned)b.order);
	s->r.frees++;
	s->r.held_blocks--;
	s->r.held_pages -= 1ul << b.order;
	s->r.pages_freed += 1ul << b.order;
}

static void one_step(struct vcpu_sim *s, int cpu)
{
	struct vcpu_set *set = &s->sets[cpu];
	bool alloc;

	if (set->n == 0)
		alloc = true;
	else if (set->n >= s->p.working_set)
		alloc = false;
	else
		alloc = vcpu_rng_below(&s->rng, 1000) < s->p.alloc_permille;

	if (alloc) {
		unsigned order = pick_order(s);
		struct page *page = alloc_pages(s->p.gfp, order);
		if (!page) {
			s->r.alloc_failures++;
			return;
		}
		set->b[set->n].page = page;
		set->b[set->n].order = order;
		set->n++;
		s->r.allocs++;
		s->r.allocs_by_order[order]++;
		s->r.held_blocks++;
		s->r.held_pages += 1ul << order;
		s->r.pages_allocated += 1ul << order;
		if (s->r.held_pages > s->r.max_held_pages)
			s->r.max_held_pages = s->r.held_pages;
		return;
	}
	/* a free: one of another CPU's blocks (it lands on this CPU's lists), or one of ours */
	if (s->p.nr_cpus > 1 && vcpu_rng_below(&s->rng, 1000) < s->p.remote_free_permille) {
		int other = (int)vcpu_rng_below(&s->rng, (uint64_t)s->p.nr_cpus - 1);
		if (other >= cpu)
			other++;
		struct vcpu_set *os = &s->sets[other];
		if (os->n) {
			free_from(s, os, (unsigned)vcpu_rng_below(&s->rng, os->n));
			s->r.remote_frees++;
			return;
		}
	}
	free_from(s, set, (unsigned)vcpu_rng_below(&s->rng, set->n));
}

unsigned long vcpu_sim_step(struct vcpu_sim *s, unsigned long n)
{
	while (n-- && s->r.steps < s->p.steps) {
		if (!s->burst_left) {
			vcpu_switch(&s->host, (int)vcpu_rng_below(&s->rng, (uint64_t)s->p.nr_cpus));
			s->burst_left = 1 + vcpu_rng_below(&s->rng, s->p.burst_max);
		}
		s->burst_left--;
		one_step(s, s->host.cpu);
		s->r.steps++;
		if (s->p.tick_interval && s->r.steps % s->p.tick_interval == 0) {
			pcp_vmstat_tick(s->m);
			s->r.ticks++;
		}
	}
	return s->r.steps;
}

void vcpu_sim_result(struct vcpu_sim *s, struct vcpu_result *r)
{
	vcpu_read_counters(s->m, &s->r.after);
	s->r.switches = s->host.switches;
	*r = s->r;
}

void vcpu_sim_destroy(struct vcpu_sim *s)
{
	if (!s)
		return;
	for (int c = 0; c < s->p.nr_cpus; c++) {
		vcpu_switch(&s->host, c);
		while (s->sets[c].n)
			free_from(s, &s->sets[c], s->sets[c].n - 1);
	}
	vcpu_detach(&s->host);
	free(s->sets);
	free(s->storage);
	free(s);
}

int vcpu_run(struct machine *m, const struct vcpu_params *p, struct vcpu_result *r, char *err, size_t errlen)
{
	struct vcpu_sim *s = vcpu_sim_create(m, p, err, errlen);

	if (!s)
		return -1;
	vcpu_sim_step(s, p->steps);
	vcpu_sim_result(s, r);
	vcpu_sim_destroy(s);
	return 0;
}

struct machine *vcpu_machine_create(const struct machine_desc *base, int nr_cpus, enum pcp_policy_id policy,
				    enum pcp_scheme_id scheme, char *err, size_t errlen)
{
	struct machine_desc *d = malloc(sizeof(*d));   /* large: keep it off the stack */
	char buf[16];

	if (!d) {
		errf(err, errlen, "vcpu: out of memory");
		return NULL;
	}
	if (base)
		*d = *base;
	else
		machine_desc_default(d);
	snprintf(buf, sizeof(buf), "%d", nr_cpus);
	if (machine_desc_set(d, "cpus", buf, err, errlen)) {
		free(d);
		return NULL;
	}
	d->policy = policy;
	d->scheme = scheme;
	struct machine *m = machine_create(d, err, errlen);
	free(d);
	return m;
}

uint64_t vcpu_buddyinfo_hash(struct machine *m)
{
	char *text = NULL;
	size_t len = 0;
	uint64_t h = 0xcbf29ce484222325ull;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return 0;
	show_buddyinfo(m, f);
	fclose(f);
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)text[i];
		h *= 0x100000001b3ull;
	}
	free(text);
	return h;
}
