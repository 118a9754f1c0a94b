// SPDX-License-Identifier: GPL-2.0
/*
 * sim_template.c - a captured trace as a workload template: the trace's per-CPU streams of
 * mm_page_alloc and mm_page_free, replicated onto N virtual CPUs.
 *
 *   vCPU v plays trace CPU (v mod T) in copy (v / T), T the trace's CPUs (numbered densely
 *   in order of first appearance).  Each copy is its own set of pages: a free names the
 *   allocation it undoes (matched in the trace by pfn when it is read), and a copy's map
 *   turns that allocation into the model page it got.  A trace CPU's free of a page
 *   another trace CPU allocated stays a remote free in every copy.
 *   Each op starts no earlier than its trace timestamp (relative to the first event), so
 *   the copies keep the trace's rate; contention only ever delays.
 *   Frees of pages allocated before the trace started are dropped (they are not the
 *   workload's); so are allocations that failed in the trace (pfn=-1).  A free whose
 *   allocation has not run yet on its vCPU waits for it in virtual time; one whose
 *   allocation's vCPU does not exist (N not a multiple of T) is dropped with it.
 *   Memory: per vCPU, the trace's peak live pages over T, unless --mem fixes it.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/internal.h"
#include "replay/pfnmap.h"
#include "replay/trace.h"
#include "vtime/sim_internal.h"

struct tev {
	uint64_t at_ps;                 /* since the trace's first event */
	uint64_t id;                    /* the allocation's (free: the one it undoes): cpu << 32 | pos */
	uint32_t pos;                   /* that allocation's position in its stream */
	uint16_t cpu;                   /* that allocation's trace CPU (dense) */
	uint8_t order;
	uint8_t alloc;
	gfp_t gfp;
};

struct stream {
	struct tev *ev;
	uint32_t n, cap;
};

struct template {
	struct stream *st;              /* [T] */
	int nr_trace_cpus;
	int cpu_of[1024];               /* trace CPU number -> dense index; -1 unseen */
	unsigned long peak_pages;
	struct pfnmap *copy;            /* [copies]: alloc id -> model page */
	int copies;
	unsigned long dropped_frees;
};

static int push(struct stream *s, const struct tev *e)
{
	if (s->n == s->cap) {
		uint32_t cap = s->cap ? s->cap * 2 : 1024;
		struct tev *ev = realloc(s->ev, cap * sizeof(*ev));
		if (!ev)
			return -1;
		s->ev = ev;
		s->cap = cap;
	}
	s->ev[s->n++] = *e;
	return 0;
}

int vsim_template_load(struct vsim *s, char *err, size_t errlen)
{
	struct template *tp = calloc(1, sizeof(*tp));
	struct trace_event ev;
	struct pfnmap live;
	uint64_t t0 = UINT64_MAX;
	unsigned long live_pages = 0;
	int r;

	if (!tp || pfnmap_init(&live, 1 << 16)) {
		free(tp);
		return errf(err, errlen, "vtime: out of memory for the template");
	}
	s->wl = tp;
	memset(tp->cpu_of, 0xff, sizeof(tp->cpu_of));
	struct trace_reader *rd = trace_open(s->p.template_path, err, errlen);
	if (!rd) {
		pfnmap_destroy(&live);
		return -1;
	}
	trace_set_warn(rd, NULL, NULL);
	while ((r = trace_next(rd, &ev)) == 1) {
		if (ev.type != TRACE_MM_PAGE_ALLOC && ev.type != TRACE_MM_PAGE_FREE)
			continue;
		if (ev.type == TRACE_MM_PAGE_ALLOC && ev.pfn == TRACE_PFN_NONE)
			continue;       /* failed in the kernel */
		if (ev.cpu >= 1024) {
			errf(err, errlen, "%s: line %llu: CPU %u; a template has CPUs 0..1023", s->p.template_path,
			     (unsigned long long)ev.line, ev.cpu);
			goto fail;
		}
		if (t0 == UINT64_MAX)
			t0 = ev.ts_ns;
		if (tp->cpu_of[ev.cpu] < 0) {
			struct stream *st = realloc(tp->st, (size_t)(tp->nr_trace_cpus + 1) * sizeof(*st));
			if (!st)
				goto oom;
			tp->st = st;
			memset(&st[tp->nr_trace_cpus], 0, sizeof(*st));
			tp->cpu_of[ev.cpu] = tp->nr_trace_cpus++;
		}
		int c = tp->cpu_of[ev.cpu];
		struct tev e = { .at_ps = (ev.ts_ns >= t0 ? ev.ts_ns - t0 : 0) * 1000 };
		if (ev.type == TRACE_MM_PAGE_ALLOC) {
			if (ev.order < 0 || ev.order >= MAX_ORDER)
				continue;
			e.alloc = 1;
			e.order = (uint8_t)ev.order;
			e.gfp = ev.gfp;
			e.cpu = (uint16_t)c;
			e.pos = tp->st[c].n;
			e.id = (uint64_t)c << 32 | e.pos;       /* an allocation is named by its stream and place */
			struct page *old;
			unsigned old_order;
			int pr = pfnmap_put(&live, ev.pfn, (struct page *)(uintptr_t)(e.id << 1 | 1), (unsigned)ev.order,
					    &old, &old_order);
			if (pr < 0 || push(&tp->st[c], &e))
				goto oom;
			if (pr == 1)
				live_pages -= 1UL << old_order;  /* never freed in the trace: a leak there */
			live_pages += 1UL << ev.order;
			if (live_pages > tp->peak_pages)
				tp->peak_pages = live_pages;
			continue;
		}
		struct page *tag;
		unsigned order;
		if (!pfnmap_take(&live, ev.pfn, &tag, &order))
			continue;       /* allocated before the trace */
		live_pages -= 1UL << order;
		e.id = (uint64_t)(uintptr_t)tag >> 1;
		e.cpu = (uint16_t)(e.id >> 32);
		e.pos = (uint32_t)e.id;
		e.order = (uint8_t)order;
		if (push(&tp->st[c], &e))
			goto oom;
	}
	if (r < 0) {
		errf(err, errlen, "%s: %s", s->p.template_path, trace_error(rd));
		goto fail;
	}
	trace_close(rd);
	pfnmap_destroy(&live);
	if (!tp->nr_trace_cpus)
		return errf(err, errlen, "%s: no mm_page_alloc or mm_page_free event; nothing to replicate",
			    s->p.template_path);
	s->template_pages = tp->peak_pages;
	return 0;
oom:
	errf(err, errlen, "vtime: out of memory reading %s", s->p.template_path);
fail:
	trace_close(rd);
	pfnmap_destroy(&live);
	return -1;
}

void vsim_template_unload(struct vsim *s)
{
	struct template *tp = s->wl;

	if (!tp)
		return;
	for (int c = 0; c < tp->nr_trace_cpus; c++)
		free(tp->st[c].ev);
	free(tp->st);
	free(tp);
	s->wl = NULL;
}

static unsigned long template_pages(const struct vsim *s)
{
	const struct template *tp = s->wl;
	return (s->template_pages + (unsigned long)tp->nr_trace_cpus - 1) / (unsigned long)tp->nr_trace_cpus + 1024;
}

static int template_setup(struct vsim *s, char *err, size_t errlen)
{
	struct template *tp = s->wl;

	tp->copies = (s->nr_cpus + tp->nr_trace_cpus - 1) / tp->nr_trace_cpus;
	tp->copy = calloc((size_t)tp->copies, sizeof(*tp->copy));
	if (!tp->copy)
		return errf(err, errlen, "vtime: out of memory for %d template copies", tp->copies);
	for (int k = 0; k < tp->copies; k++)
		if (pfnmap_init(&tp->copy[k], 1024))
			return errf(err, errlen, "vtime: out of memory for %d template copies", tp->copies);
	return 0;
}

static enum vsim_op template_next(struct vsim *s, struct vsim_thread *t)
{
	struct template *tp = s->wl;
	int T = tp->nr_trace_cpus, stream = t->index % T, copy = t->index / T;
	struct stream *st = &tp->st[stream];
	struct pfnmap *map = &tp->copy[copy];

	for (;;) {
		if (t->i >= st->n)
			return VSIM_OP_DONE;
		const struct tev *e = &st->ev[t->i];
		vsim_idle_until(t, e->at_ps);
		if (e->alloc) {
			struct page *page = vsim_alloc(s, t, e->order, e->gfp);
			if (page && pfnmap_put(map, e->id, page, e->order, NULL, NULL) < 0)
				vsim_free(s, t, page, e->order, t->index);      /* no memory to remember it */
			t->i++;
			return VSIM_OP_RAN;
		}
		int av = copy * T + e->cpu;     /* the vCPU that allocates it */
		struct page *page;
		unsigned order;
		if (pfnmap_take(map, e->id, &page, &order)) {
			vsim_free(s, t, page, order, av);
			t->i++;
			t->n = 0;
			return VSIM_OP_RAN;
		}
		struct vsim_thread *a = av < s->nr_cpus ? &s->th[av] : NULL;
		if (!a || a->i > e->pos || ++t->n > 10000) {
			/* no such vCPU, its allocation failed, or a cycle of waits: drop this free */
			tp->dropped_frees++;
			t->i++;
			t->n = 0;
			continue;
		}
		/* its allocation has not run yet: wait for that vCPU to move on */
		vsim_idle_until(t, (a->vt.clock > t->vt.clock ? a->vt.clock : t->vt.clock) + 1000);
		return VSIM_OP_RAN;
	}
}

static void template_teardown(struct vsim *s)
{
	struct template *tp = s->wl;

	if (!tp || !tp->copy)
		return;
	for (int k = 0; k < tp->copies; k++) {
		struct pfnmap *map = &tp->copy[k];
		for (size_t i = 0; map->slots && i <= map->mask; i++) {
			struct pfnmap_slot *sl = &map->slots[i];
			if (sl->key != UINT64_MAX /* empty */ && sl->page)
				vsim_free_quiet(s, k * tp->nr_trace_cpus < s->nr_cpus ? k * tp->nr_trace_cpus : 0, sl->page,
						(unsigned)(sl->key & 0xff));
		}
		pfnmap_destroy(map);
	}
	free(tp->copy);
	tp->copy = NULL;
}

const struct vsim_workload_ops vsim_template_ops = {
	.pages_per_cpu = template_pages, .setup = template_setup, .next = template_next, .teardown = template_teardown,
};
