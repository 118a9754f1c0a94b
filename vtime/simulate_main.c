// SPDX-License-Identifier: GPL-2.0
/*
 * simulate - the many-core simulator's command line (scripts/simulate runs it).
 *
 *   simulate --costs FILE [--policy LIST] [--scheme LIST] [--workload W] [--order N]
 *            [--template TRACE] [--cpus LIST] [--topology SxC[xN]] [--seed N] [--blocks N]
 *            [--working-set PAGES|SIZE] [--rounds N] [--mem SIZE] [--no-thisnode]
 *            [--json] [machine options]
 *
 * One row per (policy, scheme, CPU count): a table, or with --json a JSON array with one
 * object per row (vtime/sim.h's fields).  --cpus defaults to 1,2,4,... up to the
 * topology's CPUs; --topology to the cost file's, else one socket of the largest count.
 * Machine options (--min-free-kbytes, --watermark-scale-factor, --percpu-pagelist-*,
 * --config ...) describe the machine; its layout comes from --topology and --mem (per
 * node), so --cpus/--nodes/--mem as machine options and --zoneinfo are refused.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc/internal.h"
#include "bench/pcp_select.h"
#include "vtime/sim.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: simulate --costs FILE [--policy LIST] [--scheme LIST] [--workload W] [--order N]\n"
		"                [--template TRACE] [--cpus LIST] [--topology SxC[xN]] [--seed N] [--blocks N]\n"
		"                [--working-set PAGES|SIZE] [--rounds N] [--mem SIZE] [--no-thisnode] [--json]\n"
		"                [machine options]\n"
		"policies: %s; schemes: owner, trylock\nworkloads:\n",
		PCP_POLICY_NAMES);
	for (int w = 0; w < NR_VSIM_WORKLOADS; w++)
		fprintf(f, "  %-24s %s\n", vsim_workload_name[w], vsim_workload_what[w]);
}

static int __attribute__((format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "simulate: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return 2;
}

/* "123" or "123k/M/G/T" (bytes); 0 on success. */
static int parse_size(const char *s, unsigned long *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (end == s || !isdigit((unsigned char)*s))
		return -1;
	switch (*end) {
	case 0: break;
	case 'k': case 'K': v <<= 10; end++; break;
	case 'm': case 'M': v <<= 20; end++; break;
	case 'g': case 'G': v <<= 30; end++; break;
	case 't': case 'T': v <<= 40; end++; break;
	default: return -1;
	}
	if (*end == 'b' || *end == 'B')
		end++;
	if (*end)
		return -1;
	*out = (unsigned long)v;
	return 0;
}

static int parse_ulong(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
	char *end;
	unsigned long long v;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	v = strtoull(s, &end, 10);
	if (*end || v < lo || v > hi)
		return -1;
	*out = (unsigned long)v;
	return 0;
}

static int parse_cpu_list(const char *s, int *cpus, int max, int *n)
{
	char buf[1024];

	if (!s || strlen(s) >= sizeof(buf))
		return -1;
	snprintf(buf, sizeof(buf), "%s", s);
	*n = 0;
	for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned long v;
		if (*n == max || parse_ulong(tok, 1, 1024, &v))
			return -1;
		cpus[(*n)++] = (int)v;
	}
	return *n ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct vsim_params p;
	struct pcp_selection sel;
	struct vt_cost_file costs;
	const char *costs_path = NULL, *topo_arg = NULL, *workload_arg = NULL;
	bool json = false;
	int cpus[64], nr_cpus = 0;
	char err[512];

	vsim_params_default(&p);
	if (pcp_select_take(&argc, argv, &sel, err, sizeof(err)))
		return die("%s", err);
	/* our own options first; what is left must be machine options */
	int out = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		char name[48];
		const char *val = NULL, *eq = strchr(a, '=');
		snprintf(name, sizeof(name), "%.*s", eq ? (int)(eq - a) : (int)strlen(a), a);
		static const char *const with_value[] = { "--costs", "--workload", "--order", "--template", "--cpus",
							  "--topology", "--seed", "--blocks", "--working-set", "--rounds",
							  "--mem" };
		bool takes = false;
		for (size_t k = 0; k < sizeof(with_value) / sizeof(*with_value); k++)
			takes |= !strcmp(name, with_value[k]);
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(a, "--json")) {
			json = true;
			continue;
		}
		if (!strcmp(a, "--no-thisnode")) {
			p.thisnode = false;
			continue;
		}
		if (!takes) {
			argv[out++] = argv[i];
			continue;
		}
		val = eq ? eq + 1 : i + 1 < argc ? argv[++i] : NULL;
		if (!val)
			return die("%s needs a value", name);
		unsigned long v;
		if (!strcmp(name, "--costs")) {
			costs_path = val;
		} else if (!strcmp(name, "--workload")) {
			int w = vsim_workload_by_name(val);
			if (w < 0)
				return die("--workload: '%s' is not a workload (simulate --help lists them)", val);
			p.workload = (enum vsim_workload)w;
			workload_arg = val;
		} else if (!strcmp(name, "--order")) {
			if (parse_ulong(val, 0, MAX_ORDER - 1, &v))
				return die("--order: '%s' is not an order in 0..10", val);
			p.order = (unsigned)v;
		} else if (!strcmp(name, "--template")) {
			p.template_path = val;
		} else if (!strcmp(name, "--cpus")) {
			if (parse_cpu_list(val, cpus, 64, &nr_cpus))
				return die("--cpus: '%s' is not a list of CPU counts in 1..1024 (e.g. 1,8,16,26)", val);
		} else if (!strcmp(name, "--topology")) {
			topo_arg = val;
			if (vt_topology_parse(&p.topology, val, err, sizeof(err)))
				return die("--topology: %s", err);
		} else if (!strcmp(name, "--seed")) {
			if (parse_ulong(val, 0, ~0UL, &v))
				return die("--seed: '%s' is not a number", val);
			p.seed = v;
		} else if (!strcmp(name, "--blocks")) {
			if (parse_ulong(val, 1, 1UL << 32, &v))
				return die("--blocks: '%s' is not a number of blocks per CPU (1..2^32)", val);
			p.blocks = v;
		} else if (!strcmp(name, "--working-set")) {
			if (!parse_ulong(val, 1, 1UL << 32, &v))
				p.working_set = v;
			else if (!parse_size(val, &v) && v >= PAGE_SIZE)
				p.working_set = v / PAGE_SIZE;
			else
				return die("--working-set: '%s' is not a number of pages or a size (e.g. 128M)", val);
		} else if (!strcmp(name, "--rounds")) {
			if (parse_ulong(val, 1, 1000000, &v))
				return die("--rounds: '%s' is not a number in 1..1000000", val);
			p.rounds = (unsigned)v;
		} else if (!strcmp(name, "--mem")) {
			if (parse_size(val, &v) || v < (64UL << 20))
				return die("--mem: '%s' is not a size of at least 64M per node (e.g. 128G)", val);
			p.mem_per_node = v;
		}
	}
	argc = out;
	argv[out] = NULL;
	if (p.template_path && workload_arg && p.workload != VSIM_TEMPLATE)
		return die("--template runs the template workload; --workload %s does not take it", workload_arg);
	if (p.template_path)
		p.workload = VSIM_TEMPLATE;
	for (int i = 1; i < argc; i++)
		if (!strncmp(argv[i], "--nodes", 7) || !strncmp(argv[i], "--zoneinfo", 10))
			return die("%s: the simulator lays memory out from --topology (SxCxNODES) and --mem (per node)", argv[i]);
	struct machine_desc *base = malloc(sizeof(*base));
	if (!base)
		return die("out of memory");
	machine_desc_default(base);
	if (machine_desc_parse_args(base, &argc, argv, err, sizeof(err)))
		return die("%s", err);
	if (argc > 1)
		return die("unknown option '%s' (simulate --help)", argv[1]);
	pcp_select_finish(&sel, base);
	p.base = base;

	if (!costs_path)
		return die("--costs FILE is needed: costs/host (scripts/calibrate measures it) or costs/xeon-gold-5320");
	if (vt_costs_read(&costs, costs_path, err, sizeof(err)))
		return die("%s", err);
	p.costs = costs.costs;
	if (!topo_arg && costs.topology.sockets)
		p.topology = costs.topology;
	if (!nr_cpus) {
		int max = p.topology.sockets ? vt_topology_cpus(&p.topology) : 8;
		for (int c = 1; c < max && nr_cpus < 63; c *= 2)
			cpus[nr_cpus++] = c;
		cpus[nr_cpus++] = max;
	}

	/* bad parameters are the command's error (exit 2), once, before any row */
	for (int k = 0; k < nr_cpus; k++) {
		struct vsim_params q = p;
		q.nr_cpus = cpus[k];
		if (!q.topology.sockets)
			q.topology = (struct vt_topology){ 1, q.nr_cpus, 1 };
		if (vsim_check(&q, err, sizeof(err)))
			return die("%s", err);
	}
	int rows = 0, failed = 0;
	bool pressure = vsim_workload_is_pressure(p.workload);
	if (json)
		printf("[\n");
	else if (pressure)
		printf("%-12s %-7s %-24s %5s %10s %8s %8s %9s %9s %8s %9s %9s %7s %9s %9s %9s %7s\n", "policy", "scheme",
		       "workload", "cpus", "ns/access", "lock%", "slow/1k", "stall/1k", "scan_k/1k", "scan_d/1k", "cstall/1k",
		       "refault/1k", "oom/1k", "slow_p50", "slow_p99", "slow_p999", "fails");
	else
		printf("%-12s %-7s %-10s %5s %5s %10s %10s %10s %8s %9s %9s %9s %8s %9s %10s\n", "policy", "scheme",
		       "workload", "order", "cpus", "ns/op", "alloc_ns", "free_ns", "lock%", "refill/1k", "drain/1k",
		       "hit_rate", "strand", "slow_p99", "Mops/host-s");
	for (int pol = 0; pol < NR_PCP_POLICIES; pol++)
		for (int sch = 0; sch < NR_PCP_SCHEMES; sch++) {
			if (!sel.policy[pol] || !sel.scheme[sch])
				continue;
			for (int k = 0; k < nr_cpus; k++) {
				struct vsim_result r;
				struct vsim_params q = p;
				q.policy = (enum pcp_policy_id)pol;
				q.scheme = (enum pcp_scheme_id)sch;
				q.nr_cpus = cpus[k];
				if (vsim_run(&q, &r, err, sizeof(err))) {
					fprintf(stderr, "simulate: %s, %s, %d CPUs: %s\n", pcp_policy(q.policy)->name,
						pcp_scheme_name(q.scheme), q.nr_cpus, err);
					failed++;
					continue;
				}
				if (json) {
					char buf[8192];
					vsim_result_json(&q, &r, buf, sizeof(buf));
					printf("%s  %s", rows ? ",\n" : "", buf);
				} else if (pressure) {
					const struct vsim_reclaim *rc = &r.reclaim;
					printf("%-12s %-7s %-24s %5d %10.1f %8.2f %8.2f %9.3f %9.1f %8.1f %9.3f %9.2f %7.3f %9.0f %9.0f %9.0f %7lu\n",
					       pcp_policy(q.policy)->name, pcp_scheme_name(q.scheme), vsim_workload_name[q.workload],
					       r.cpus, r.ns_per_op, 100.0 * r.zone_lock_share, rc->slowpath_entries_per_1k_allocs,
					       rc->allocstall_per_1k_allocs, rc->per1k[0], rc->per1k[1], rc->per1k[4],
					       rc->workingset_refault_per_1k_allocs, rc->per1k[NR_PRESSURE_PER1K - 1],
					       r.slowpath_p50_ns, r.slowpath_p99_ns, r.slowpath_p999_ns, r.alloc_failures);
				} else {
					printf("%-12s %-7s %-10s %5u %5d %10.1f %10.1f %10.1f %8.2f %9.1f %9.1f %9.4f %8lu %9.0f %10.2f\n",
					       pcp_policy(q.policy)->name, pcp_scheme_name(q.scheme),
					       vsim_workload_name[q.workload], q.order, r.cpus, r.ns_per_op, r.alloc_ns, r.free_ns,
					       100.0 * r.zone_lock_share, r.refill_pages_per_1k_allocs, r.drain_pages_per_1k_frees,
					       r.pcp_hit_rate, r.stranded_pages, r.slowpath_p99_ns, r.ops_per_host_second / 1e6);
				}
				fflush(stdout);
				rows++;
			}
		}
	if (json)
		printf("\n]\n");
	free(base);
	return failed ? 1 : 0;
}
