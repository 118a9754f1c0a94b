// SPDX-License-Identifier: GPL-2.0
/*
 * kernel_stats.c - the kernel's own figures from a trace (see kernel_stats.h for
 * the definitions, run rules included).
 */
#include "replay/kernel_stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum run_kind { RUN_NONE, RUN_REFILL, RUN_DRAIN };

struct kstats_cpu {
	enum run_kind kind;
	int32_t order;		/* of the refill run */
	int32_t migratetype;
	uint64_t len;
};

void kernel_stats_init(struct kernel_stats *ks)
{
	memset(ks, 0, sizeof(*ks));
}

void kernel_stats_destroy(struct kernel_stats *ks)
{
	free(ks->cpu);
	ks->cpu = NULL;
	ks->cpu_cap = 0;
}

double kernel_stats_per_1k(uint64_t num, uint64_t den)
{
	return den ? 1000.0 * (double)num / (double)den : 0.0;
}

static struct kstats_cpu *cpu_state(struct kernel_stats *ks, uint32_t cpu)
{
	if (cpu >= KSTATS_MAX_CPUS)
		return NULL;
	if (cpu >= ks->cpu_cap) {
		uint32_t ncap = ks->cpu_cap ? ks->cpu_cap : 8;

		while (ncap <= cpu)
			ncap *= 2;
		struct kstats_cpu *n = realloc(ks->cpu, (size_t)ncap * sizeof(*n));

		if (!n)
			return NULL;
		memset(n + ks->cpu_cap, 0, (size_t)(ncap - ks->cpu_cap) * sizeof(*n));
		ks->cpu = n;
		ks->cpu_cap = ncap;
	}
	if (cpu >= ks->ncpus)
		ks->ncpus = cpu + 1;
	return &ks->cpu[cpu];
}

static void end_run(struct kernel_stats *ks, struct kstats_cpu *c)
{
	(void)ks;
	c->kind = RUN_NONE;
	c->len = 0;
}

int kernel_stats_add(struct kernel_stats *ks, const struct trace_event *ev)
{
	uint64_t pages = ev->order >= 0 && ev->order < KSTATS_ORDERS ? 1ull << ev->order : 0;
	struct kstats_cpu *c;

	if (ev->type == TRACE_UNKNOWN) {
		c = NULL;
	} else {
		c = cpu_state(ks, ev->cpu);
		if (!c)
			return -1;
	}
	ks->events++;
	if (ks->events == 1 || ev->ts_ns < ks->first_ts_ns)
		ks->first_ts_ns = ev->ts_ns;
	if (ev->ts_ns > ks->last_ts_ns)
		ks->last_ts_ns = ev->ts_ns;
	if (!c) {
		ks->unknown_events++;
		return 0;
	}

	switch (ev->type) {
	case TRACE_MM_PAGE_ALLOC:
		ks->allocs++;
		if (ev->order == 0)
			ks->allocs_order0++;
		if (pages)
			ks->allocs_by_order[ev->order]++;
		ks->alloc_base_pages += pages;
		if (ev->gfp_unknown)
			ks->gfp_unknown_events++;
		end_run(ks, c);
		break;
	case TRACE_MM_PAGE_FREE:
		ks->frees++;
		if (ev->order == 0)
			ks->frees_order0++;
		ks->free_base_pages += pages;
		end_run(ks, c);
		break;
	case TRACE_MM_PAGE_FREE_BATCHED:
		ks->frees_batched++;
		end_run(ks, c);
		break;
	case TRACE_MM_PAGE_ALLOC_ZONE_LOCKED:
		if (ev->percpu_refill == 1) {
			ks->refill_pages++;
			ks->refill_base_pages += pages;
			if (c->kind == RUN_REFILL && c->order == ev->order &&
			    c->migratetype == ev->migratetype) {
				c->len++;
			} else {
				ks->refill_runs++;
				c->kind = RUN_REFILL;
				c->order = ev->order;
				c->migratetype = ev->migratetype;
				c->len = 1;
			}
			if (c->len > ks->refill_run_max)
				ks->refill_run_max = c->len;
		} else {
			ks->direct_pages++;
			ks->direct_base_pages += pages;
			end_run(ks, c);
		}
		break;
	case TRACE_MM_PAGE_PCPU_DRAIN:
		ks->drain_pages++;
		ks->drain_base_pages += pages;
		if (c->kind == RUN_DRAIN) {
			c->len++;
		} else {
			ks->drain_runs++;
			c->kind = RUN_DRAIN;
			c->len = 1;
		}
		if (c->len > ks->drain_run_max)
			ks->drain_run_max = c->len;
		break;
	case TRACE_MM_PAGE_ALLOC_EXTFRAG:
		/* Emitted under the same zone->lock hold: the run goes on. */
		ks->extfrag++;
		if (ev->fragmenting == 1)
			ks->extfrag_fragmenting++;
		break;
	default:
		break;
	}
	return 0;
}

int kernel_stats_from_trace(const char *path, unsigned int trace_flags, struct kernel_stats *ks,
			    struct trace_counts *counts, char *err, size_t errlen)
{
	struct trace_reader *r = trace_open(path, err, errlen);
	struct trace_event ev;
	int rc;

	kernel_stats_init(ks);
	if (!r)
		return -1;
	trace_set_flags(r, trace_flags);
	while ((rc = trace_next(r, &ev)) > 0) {
		if (kernel_stats_add(ks, &ev) < 0) {
			if (err && errlen && ev.cpu >= KSTATS_MAX_CPUS)
				snprintf(err, errlen, "%s: line %llu: CPU %u is beyond the %u CPUs counted",
					 path ? path : "<stdin>", (unsigned long long)ev.line, ev.cpu,
					 KSTATS_MAX_CPUS);
			else if (err && errlen)
				snprintf(err, errlen, "out of memory");
			rc = -1;
			break;
		}
	}
	if (rc < 0 && err && errlen && !err[0])
		snprintf(err, errlen, "%s: %s", path ? path : "<stdin>", trace_error(r));
	if (counts)
		*counts = *trace_counts(r);
	trace_close(r);
	return rc < 0 ? -1 : 0;
}

/* 95220 -> "95,220" */
static const char *thousands(uint64_t v, char *buf, size_t size)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v);
	size_t o = 0;

	for (int i = 0; i < n && o + 2 < size; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = '\0';
	return buf;
}

void kernel_stats_print_table_header(FILE *out)
{
	fprintf(out, "| trace | allocs | order-0 | frees | pages refilled under zone lock | "
		     "per 1k allocs | pages drained | per 1k frees |\n");
	fprintf(out, "| --- | --- | --- | --- | --- | --- | --- | --- |\n");
}

void kernel_stats_print_table_row(const struct kernel_stats *ks, const char *name, FILE *out)
{
	char a[32], b[32], c[32], d[32], e[32];

	fprintf(out, "| %s | %s | %s | %s | %s | %.0f | %s | %.0f |\n", name,
		thousands(ks->allocs, a, sizeof(a)), thousands(ks->allocs_order0, b, sizeof(b)),
		thousands(ks->frees, c, sizeof(c)), thousands(ks->refill_pages, d, sizeof(d)),
		kernel_stats_refill_per_1k(ks), thousands(ks->drain_pages, e, sizeof(e)),
		kernel_stats_drain_per_1k(ks));
}

void kernel_stats_print(const struct kernel_stats *ks, FILE *out)
{
#define P(field) fprintf(out, "%-22s %llu\n", #field, (unsigned long long)ks->field)
	P(events);
	P(allocs);
	P(allocs_order0);
	P(alloc_base_pages);
	P(frees);
	P(frees_order0);
	P(free_base_pages);
	P(frees_batched);
	P(refill_pages);
	P(refill_base_pages);
	P(refill_runs);
	P(refill_run_max);
	P(direct_pages);
	P(direct_base_pages);
	P(drain_pages);
	P(drain_base_pages);
	P(drain_runs);
	P(drain_run_max);
	P(extfrag);
	P(extfrag_fragmenting);
	P(unknown_events);
	P(gfp_unknown_events);
	P(ncpus);
#undef P
	fprintf(out, "%-22s %.1f\n", "refill_per_1k_allocs", kernel_stats_refill_per_1k(ks));
	fprintf(out, "%-22s %.1f\n", "drain_per_1k_frees", kernel_stats_drain_per_1k(ks));
	fprintf(out, "%-22s %.1f\n", "refill_pages_per_run",
		ks->refill_runs ? (double)ks->refill_pages / (double)ks->refill_runs : 0.0);
	fprintf(out, "%-22s %.1f\n", "drain_pages_per_run",
		ks->drain_runs ? (double)ks->drain_pages / (double)ks->drain_runs : 0.0);
	fprintf(out, "%-22s %.6f\n", "duration_s",
		ks->last_ts_ns > ks->first_ts_ns ? (double)(ks->last_ts_ns - ks->first_ts_ns) / 1e9 : 0.0);
	for (int o = 0; o < KSTATS_ORDERS; o++)
		if (ks->allocs_by_order[o])
			fprintf(out, "allocs_by_order[%d]%*s %llu\n", o, o < 10 ? 4 : 3, "",
				(unsigned long long)ks->allocs_by_order[o]);
}
