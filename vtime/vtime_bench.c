// SPDX-License-Identifier: GPL-2.0
/*
 * vtime_bench - the virtual-time simulator's rows for the benchmark suite (scripts/bench),
 * through the Google Benchmark shim, so tables, plots and scripts/compare take them.
 *
 * Rows: vtime-WORKLOAD/model-POLICY-SCHEME/order:N/cpus:C for C = 1, 2, 4, ... up to
 * --max-cpus (default 256), each one simulation (one iteration: the result is a pure
 * function of the options).  Real time is the host's time for the simulation; the model's
 * figures are counters, in virtual time:
 *   virtual_ns_per_op        busy virtual time per operation (alloc or free)
 *   alloc_ns, free_ns        per allocation, per free
 *   zone_lock_share          virtual time queued for zone->lock / busy virtual time
 *   zone_lock_acquisitions_per_1k_allocs, refill_pages_per_1k_allocs, drain_pages_per_1k_frees
 *   pcp_hit_rate, stranded_pages, slowpath_p50_ns / _p99_ns / _p999_ns
 *   ops_per_host_second      the simulator's own speed
 * The pressure workloads (pressure-file-stream, ...: one op an access, --blocks accesses per
 * CPU) add the reclaim figures as NAME_per_1k_allocs (allocstall, workingset_refault and
 * bench/pressure_workload.h's list) and slowpath_entries_per_1k_allocs.
 *
 * Options (besides --policy/--scheme LIST, machine options and --benchmark_*):
 *   --costs FILE (required; scripts/bench passes costs/host)   --workloads LIST (bulk,page-fault)
 *   --max-cpus N (256)   --topology SxC[xN] (one socket of the row's CPUs)   --blocks N (16384)
 *   --working-set PAGES (8192)
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/internal.h"
#include "bench/gbench.h"
#include "bench/pcp_select.h"
#include "vtime/sim.h"

static struct vsim_params tmpl;
static struct machine_desc base;
static unsigned long blocks = 16384, working_set = 8192;        /* per row, for the workloads that take them */

struct row {
	enum pcp_policy_id policy;
	enum pcp_scheme_id scheme;
	enum vsim_workload workload;
	int cpus;
};

static void bm_vtime(gb_state *s, void *argp)
{
	const struct row *row = argp;
	struct vsim_params p = tmpl;
	struct vsim_result r;
	char err[512];
	bool done = false;

	p.policy = row->policy;
	p.scheme = row->scheme;
	p.workload = row->workload;
	p.nr_cpus = row->cpus;
	p.base = &base;
	if (row->workload == VSIM_PAGE_FAULT)
		p.working_set = working_set;
	else
		p.blocks = blocks;
	while (gb_keep_running(s)) {
		if (done)
			continue;
		if (vsim_run(&p, &r, err, sizeof(err))) {
			gb_skip_with_error(s, err);
			return;
		}
		done = true;
	}
	gb_counter(s, "virtual_ns_per_op", r.ns_per_op, GB_COUNTER_DEFAULT);
	gb_counter(s, "alloc_ns", r.alloc_ns, GB_COUNTER_DEFAULT);
	gb_counter(s, "free_ns", r.free_ns, GB_COUNTER_DEFAULT);
	gb_counter(s, "zone_lock_share", r.zone_lock_share, GB_COUNTER_DEFAULT);
	gb_counter(s, "zone_lock_acquisitions_per_1k_allocs", r.zone_lock_acquisitions_per_1k_allocs, GB_COUNTER_DEFAULT);
	gb_counter(s, "refill_pages_per_1k_allocs", r.refill_pages_per_1k_allocs, GB_COUNTER_DEFAULT);
	gb_counter(s, "drain_pages_per_1k_frees", r.drain_pages_per_1k_frees, GB_COUNTER_DEFAULT);
	gb_counter(s, "pcp_hit_rate", r.pcp_hit_rate, GB_COUNTER_DEFAULT);
	gb_counter(s, "stranded_pages", (double)r.stranded_pages, GB_COUNTER_DEFAULT);
	if (r.slowpath_allocs) {
		gb_counter(s, "slowpath_p50_ns", r.slowpath_p50_ns, GB_COUNTER_DEFAULT);
		gb_counter(s, "slowpath_p99_ns", r.slowpath_p99_ns, GB_COUNTER_DEFAULT);
		gb_counter(s, "slowpath_p999_ns", r.slowpath_p999_ns, GB_COUNTER_DEFAULT);
	}
	if (vsim_workload_is_pressure(row->workload)) {
		const struct vsim_reclaim *rc = &r.reclaim;
		char key[96];
		gb_counter(s, "slowpath_entries_per_1k_allocs", rc->slowpath_entries_per_1k_allocs, GB_COUNTER_DEFAULT);
		gb_counter(s, "allocstall_per_1k_allocs", rc->allocstall_per_1k_allocs, GB_COUNTER_DEFAULT);
		gb_counter(s, "workingset_refault_per_1k_allocs", rc->workingset_refault_per_1k_allocs, GB_COUNTER_DEFAULT);
		for (size_t i = 0; i < NR_PRESSURE_PER1K; i++) {
			snprintf(key, sizeof(key), "%s_per_1k_allocs", pressure_per1k[i].name);
			gb_counter(s, key, rc->per1k[i], GB_COUNTER_DEFAULT);
		}
	}
	gb_counter(s, "ops_per_host_second", r.ops_per_host_second, GB_COUNTER_DEFAULT);
	gb_set_items_processed(s, (int64_t)r.ops);
}

static const char *value_of(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n))
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (!argv[*i][n] && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

static int bad(const char *what, const char *v)
{
	fprintf(stderr, "vtime_bench: %s: '%s' %s\n", what, v ? v : "", v ? "is not valid" : "needs a value");
	return 2;
}

int main(int argc, char **argv)
{
	const char *costs_path = NULL, *workloads = "bulk,page-fault";
	struct vt_cost_file costs;
	struct pcp_selection sel;
	int max_cpus = 256, out = 1;
	char err[512];

	vsim_params_default(&tmpl);
	for (int i = 1; i < argc; i++) {
		const char *v;
		char *end;
		if ((v = value_of(argc, argv, &i, "--costs"))) {
			costs_path = v;
		} else if ((v = value_of(argc, argv, &i, "--workloads"))) {
			workloads = v;
		} else if ((v = value_of(argc, argv, &i, "--max-cpus"))) {
			max_cpus = (int)strtol(v, &end, 10);
			if (*end || max_cpus < 1 || max_cpus > 1024)
				return bad("--max-cpus", v);
		} else if ((v = value_of(argc, argv, &i, "--topology"))) {
			if (vt_topology_parse(&tmpl.topology, v, err, sizeof(err)))
				return bad("--topology", v);
		} else if ((v = value_of(argc, argv, &i, "--blocks"))) {
			blocks = strtoul(v, &end, 10);
			if (*end || !blocks)
				return bad("--blocks", v);
		} else if ((v = value_of(argc, argv, &i, "--working-set"))) {
			working_set = strtoul(v, &end, 10);
			if (*end || !working_set)
				return bad("--working-set", v);
		} else if (!strncmp(argv[i], "--costs", 7) || !strncmp(argv[i], "--workloads", 11) ||
			   !strncmp(argv[i], "--max-cpus", 10) || !strncmp(argv[i], "--topology", 10) ||
			   !strncmp(argv[i], "--blocks", 8) || !strncmp(argv[i], "--working-set", 13)) {
			return bad(argv[i], NULL);
		} else {
			argv[out++] = argv[i];
		}
	}
	argc = out;
	argv[out] = NULL;
	if (pcp_select_take(&argc, argv, &sel, err, sizeof(err))) {
		fprintf(stderr, "vtime_bench: %s\n", err);
		return 2;
	}
	machine_desc_default(&base);
	if (machine_desc_parse_args(&base, &argc, argv, err, sizeof(err))) {
		fprintf(stderr, "vtime_bench: %s\n", err);
		return 2;
	}
	pcp_select_finish(&sel, &base);
	if (!costs_path) {
		fprintf(stderr, "vtime_bench: --costs FILE is needed (costs/host: scripts/calibrate)\n");
		return 2;
	}
	if (vt_costs_read(&costs, costs_path, err, sizeof(err))) {
		fprintf(stderr, "vtime_bench: %s\n", err);
		return 2;
	}
	tmpl.costs = costs.costs;
	if (tmpl.topology.sockets && vt_topology_cpus(&tmpl.topology) < max_cpus)
		max_cpus = vt_topology_cpus(&tmpl.topology);

	char wl[256];
	snprintf(wl, sizeof(wl), "%s", workloads);
	for (char *save = NULL, *w = strtok_r(wl, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		int id = vsim_workload_by_name(w);
		if (id < 0 || id == VSIM_TEMPLATE) {
			fprintf(stderr, "vtime_bench: --workloads: '%s' is not one of", w);
			for (int k = 0; k < NR_VSIM_WORKLOADS; k++)
				if (k != VSIM_TEMPLATE)
					fprintf(stderr, "%s %s", k ? "," : "", vsim_workload_name[k]);
			fprintf(stderr, " (the template needs scripts/simulate --template)\n");
			return 2;
		}
		for (int pol = 0; pol < NR_PCP_POLICIES; pol++)
			for (int sch = 0; sch < NR_PCP_SCHEMES; sch++) {
				if (!sel.policy[pol] || !sel.scheme[sch])
					continue;
				for (int c = 1;; c = c * 2 > max_cpus && c < max_cpus ? max_cpus : c * 2) {
					struct row *row = gb_arg_alloc(sizeof(*row));
					char name[160];
					*row = (struct row){ (enum pcp_policy_id)pol, (enum pcp_scheme_id)sch, (enum vsim_workload)id,
							     c };
					snprintf(name, sizeof(name), "vtime-%s/model-%s-%s/order:0/cpus:%d", w,
						 pcp_policy((enum pcp_policy_id)pol)->name, pcp_scheme_name((enum pcp_scheme_id)sch), c);
					gb_unit(gb_use_real_time(gb_iterations(gb_register(name, bm_vtime, row), 1)), GB_MS);
					if (c >= max_cpus)
						break;
				}
			}
	}
	if (gb_initialize(&argc, argv))
		return 2;
	if (argc > 1) {
		fprintf(stderr, "vtime_bench: unknown option '%s'\n", argv[1]);
		return 2;
	}
	gb_run_specified();
	gb_shutdown();
	return gb_any_error() ? 1 : 0;
}
