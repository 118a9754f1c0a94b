// SPDX-License-Identifier: GPL-2.0
/*
 * vcpu_bench - per-CPU list behaviour at 1..256 model CPUs on any host, in deterministic
 * virtual-CPU mode (bench/vcpu.h): one host thread plays N CPUs under a seeded schedule.
 *
 * Rows: vcpu/model-<policy>/cpus:N, N = 1, 2, 4, ..., 256 (up to --max-cpus), for
 * linux-4.12 and linux-6.x.  Each row builds a machine (the machine options given, the
 * built-in default otherwise, with --cpus N) and runs the workload on it: steps-per-cpu x N
 * steps, a vmstat tick (pcp_vmstat_tick) every tick-per-cpu x N steps, so each CPU sees the
 * same number of operations and ticks whatever N is.  Counters are those of the first
 * iteration, which ran on the fresh machine: they are a pure function of the options and
 * equal vcpu_run()'s.  Later iterations (reusing the machine after a full drain) only make
 * the timing; time is per whole run.
 *
 * Counters:
 *   pcp_hit_rate                pcp-eligible allocations served from a non-empty list
 *   refill_pages_per_1k_allocs  pages taken under zone->lock to refill pcp lists / 1,000 allocations
 *   drain_pages_per_1k_frees    pages returned from pcp lists to the buddy / 1,000 frees
 *   stranded_pages              pages on per-CPU lists at the end of the run (all CPUs, zones)
 *   stranded_mib                the same in MiB
 *   stranded_pages_max_cpu      the most on one CPU
 *   pcp_high_pages              sum of pcp->high at the end (the ceiling of stranding)
 *   remote_free_rate            frees of a block another CPU allocated / frees
 *   items_per_second            steps per second
 *
 * Options (besides machine options and --benchmark_*):
 *   --seed=N (1) --steps-per-cpu=N (20000) --working-set=N (256) --alloc-permille=N (500)
 *   --remote-free-permille=N (100) --orders=W0,W1,W2,W3 (900,40,30,30) --burst-max=N (16)
 *   --tick-per-cpu=N (1000; 0: no tick) --max-cpus=N (256)
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench/gbench.h"
#include "bench/vcpu.h"
#include "bench/pcp_select.h"

static struct machine_desc base_desc;
static struct vcpu_params tmpl;
static unsigned long steps_per_cpu = 20000, tick_per_cpu = 1000;
static int max_cpus = 256;
static atomic_int check_failures;

struct row {
	enum pcp_policy_id policy;
	int cpus;
};

static void bm_vcpu(gb_state *s, void *argp)
{
	const struct row *row = argp;
	char err[512];
	struct vcpu_result first;
	bool have_first = false;

	struct machine *m = vcpu_machine_create(&base_desc, row->cpus, row->policy, base_desc.scheme, err, sizeof(err));
	if (!m) {
		gb_skip_with_error(s, err);
		return;
	}
	struct vcpu_params p = tmpl;
	p.nr_cpus = row->cpus;
	p.steps = steps_per_cpu * (unsigned long)row->cpus;
	p.tick_interval = tick_per_cpu * (unsigned long)row->cpus;

	while (gb_keep_running(s)) {
		struct vcpu_sim *sim = vcpu_sim_create(m, &p, err, sizeof(err));
		if (!sim) {
			gb_skip_with_error(s, err);
			continue;
		}
		vcpu_sim_step(sim, p.steps);
		if (!have_first) {
			vcpu_sim_result(sim, &first);
			have_first = true;
		}
		vcpu_sim_destroy(sim);
		drain_all_pages(m, NULL);       /* an empty start for the next iteration */
	}
	if (have_first) {
		struct vcpu_counters d;
		vcpu_counters_delta(&d, &first.before, &first.after);
		gb_counter(s, "pcp_hit_rate", vcpu_pcp_hit_rate(&d), GB_COUNTER_DEFAULT);
		gb_counter(s, "refill_pages_per_1k_allocs", vcpu_refill_pages_per_1k_allocs(&d, first.allocs),
			   GB_COUNTER_DEFAULT);
		gb_counter(s, "drain_pages_per_1k_frees", vcpu_drain_pages_per_1k_frees(&d, first.frees),
			   GB_COUNTER_DEFAULT);
		gb_counter(s, "stranded_pages", (double)d.pcp_pages, GB_COUNTER_DEFAULT);
		gb_counter(s, "stranded_mib", (double)(d.pcp_pages << PAGE_SHIFT) / (1 << 20), GB_COUNTER_DEFAULT);
		gb_counter(s, "stranded_pages_max_cpu", (double)d.pcp_pages_max_cpu, GB_COUNTER_DEFAULT);
		gb_counter(s, "pcp_high_pages", (double)d.pcp_high, GB_COUNTER_DEFAULT);
		gb_counter(s, "remote_free_rate", first.frees ? (double)first.remote_frees / (double)first.frees : 0,
			   GB_COUNTER_DEFAULT);
		if (first.alloc_failures)
			gb_counter(s, "alloc_failures", (double)first.alloc_failures, GB_COUNTER_DEFAULT);
		gb_set_items_processed(s, gb_iterations_done(s) * (int64_t)p.steps);
	}
	if (check_machine(m, err, sizeof(err))) {
		fprintf(stderr, "vcpu_bench: check_machine after vcpu/%s/cpus:%d: %s\n", pcp_policy((enum pcp_policy_id)(row->policy))->name,
			row->cpus, err);
		atomic_fetch_add(&check_failures, 1);
	}
	machine_destroy(m);
}

/* --name=value or --name value; returns the value or NULL (and *i advanced past it). */
static const char *opt_value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n))
		return NULL;
	if (argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (argv[*i][n] == 0 && *i + 1 < argc)
		return argv[++*i];
	return NULL;
}

static int parse_ul(const char *v, unsigned long *out)
{
	char *end;
	unsigned long x = strtoul(v, &end, 0);
	if (end == v || *end)
		return -1;
	*out = x;
	return 0;
}

/* Consume this program's options from argv; 0, or -1 with a message printed. */
static int parse_own_args(int *argc, char **argv)
{
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		const char *v;
		unsigned long x;
		int bad = 0;
		if ((v = opt_value(*argc, argv, &i, "--seed")))
			bad = parse_ul(v, &x) || ((tmpl.seed = x), 0);
		else if ((v = opt_value(*argc, argv, &i, "--steps-per-cpu")))
			bad = parse_ul(v, &steps_per_cpu) || !steps_per_cpu;
		else if ((v = opt_value(*argc, argv, &i, "--working-set")))
			bad = parse_ul(v, &x) || !x || x > 1u << 24 || ((tmpl.working_set = (unsigned)x), 0);
		else if ((v = opt_value(*argc, argv, &i, "--alloc-permille")))
			bad = parse_ul(v, &x) || x > 1000 || ((tmpl.alloc_permille = (unsigned)x), 0);
		else if ((v = opt_value(*argc, argv, &i, "--remote-free-permille")))
			bad = parse_ul(v, &x) || x > 1000 || ((tmpl.remote_free_permille = (unsigned)x), 0);
		else if ((v = opt_value(*argc, argv, &i, "--burst-max")))
			bad = parse_ul(v, &x) || !x || x > 1u << 24 || ((tmpl.burst_max = (unsigned)x), 0);
		else if ((v = opt_value(*argc, argv, &i, "--tick-per-cpu")))
			bad = parse_ul(v, &tick_per_cpu);
		else if ((v = opt_value(*argc, argv, &i, "--max-cpus")))
			bad = parse_ul(v, &x) || !x || x > NR_CPUS || ((max_cpus = (int)x), 0);
		else if ((v = opt_value(*argc, argv, &i, "--orders"))) {
			unsigned w[VCPU_NR_ORDERS];
			bad = sscanf(v, "%u,%u,%u,%u", &w[0], &w[1], &w[2], &w[3]) != VCPU_NR_ORDERS ||
			      !(w[0] | w[1] | w[2] | w[3]);
			if (!bad)
				memcpy(tmpl.order_weight, w, sizeof(w));
		} else {
			argv[out++] = argv[i];
			continue;
		}
		if (bad) {
			fprintf(stderr, "vcpu_bench: bad value in '%s'\n", argv[i]);
			return -1;
		}
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

int main(int argc, char **argv)
{
	char err[512], buf[64], name[128];

	vcpu_params_default(&tmpl);
	machine_desc_default(&base_desc);
	if (parse_own_args(&argc, argv))
		return 2;
	struct pcp_selection sel;
	if (pcp_select_take(&argc, argv, &sel, err, sizeof(err))) {
		fprintf(stderr, "vcpu_bench: %s\n", err);
		return 2;
	}
	if (machine_desc_parse_args(&base_desc, &argc, argv, err, sizeof(err))) {
		fprintf(stderr, "vcpu_bench: %s\n%s", err, machine_options_help);
		return 2;
	}
	pcp_select_finish(&sel, &base_desc);
	/* one scheme: vCPUs are switched by one host thread, so the rows are the same under both */
	int nsch = 0;
	for (int s = NR_PCP_SCHEMES - 1; s >= 0; s--)
		if (sel.scheme[s]) {
			base_desc.scheme = (enum pcp_scheme_id)s;
			nsch++;
		}
	if (nsch > 1 && sel.scheme_given)
		fprintf(stderr, "vcpu_bench: note: the vcpu rows run one scheme (%s): one thread holds every vCPU\n",
			pcp_scheme_name(base_desc.scheme));
	for (int p = 0; p < NR_PCP_POLICIES; p++)
		for (int n = 1; sel.policy[p] && n <= max_cpus; n *= 2) {
			struct row *r = gb_arg_alloc(sizeof(*r));
			r->policy = (enum pcp_policy_id)p;
			r->cpus = n;
			snprintf(name, sizeof(name), "vcpu/model-%s/cpus:%d", pcp_policy((enum pcp_policy_id)(p))->name, n);
			gb_unit(gb_register(name, bm_vcpu, r), GB_MS);
		}
	if (gb_initialize(&argc, argv))
		return 2;
	gb_add_context("machine_model", base_desc.name);
	gb_add_context("pcp_scheme", pcp_scheme_name(base_desc.scheme));
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)tmpl.seed);
	gb_add_context("vcpu_seed", buf);
	snprintf(buf, sizeof(buf), "%lu", steps_per_cpu);
	gb_add_context("vcpu_steps_per_cpu", buf);
	snprintf(buf, sizeof(buf), "%u", tmpl.working_set);
	gb_add_context("vcpu_working_set", buf);
	snprintf(buf, sizeof(buf), "%u", tmpl.alloc_permille);
	gb_add_context("vcpu_alloc_permille", buf);
	snprintf(buf, sizeof(buf), "%u", tmpl.remote_free_permille);
	gb_add_context("vcpu_remote_free_permille", buf);
	snprintf(buf, sizeof(buf), "%u,%u,%u,%u", tmpl.order_weight[0], tmpl.order_weight[1], tmpl.order_weight[2],
		 tmpl.order_weight[3]);
	gb_add_context("vcpu_order_weights", buf);
	snprintf(buf, sizeof(buf), "%u", tmpl.burst_max);
	gb_add_context("vcpu_burst_max", buf);
	snprintf(buf, sizeof(buf), "%lu", tick_per_cpu);
	gb_add_context("vcpu_tick_per_cpu", buf);
	gb_run_specified();
	gb_shutdown();
	if (atomic_load(&check_failures)) {
		fprintf(stderr, "vcpu_bench: the consistency checker failed after %d run(s)\n", atomic_load(&check_failures));
		return 1;
	}
	return gb_any_error() ? 1 : 0;
}
