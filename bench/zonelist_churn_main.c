// SPDX-License-Identifier: GPL-2.0
/*
 * zonelist_churn_bench - the zonelist-churn rows alone (bench/zonelist_churn.h), on the
 * machine given by the machine options (default: the built-in 16 GiB machine, linux-4.12,
 * owner scheme). Threads: 1 .. min(host CPUs, BENCH_MAX_THREADS, model CPUs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "alloc/page_alloc.h"
#include "bench/gbench.h"
#include "bench/zonelist_churn.h"
#include "pcp/pcp.h"
#include "bench/max_threads.h"

int main(int argc, char **argv)
{
	if (bench_threads_take("zonelist_churn_bench", &argc, argv))
		return 2;
	struct machine_desc d;
	char err[512], name[96];

	machine_desc_default(&d);
	if (machine_desc_parse_args(&d, &argc, argv, err, sizeof(err))) {
		fprintf(stderr, "zonelist_churn_bench: %s\n%s", err, machine_options_help);
		return 2;
	}
	int max_threads = bench_max_threads("zonelist_churn_bench", (int)sysconf(_SC_NPROCESSORS_ONLN));
	if (max_threads < 0)
		return 2;
	struct machine *m = machine_create(&d, err, sizeof(err));
	if (!m) {
		fprintf(stderr, "zonelist_churn_bench: %s\n", err);
		return 2;
	}
	snprintf(name, sizeof(name), "model-%s-%s", pcp_policy((enum pcp_policy_id)(d.policy))->name, pcp_scheme_name(d.scheme));
	register_zonelist_churn(m, name, max_threads);
	if (gb_initialize(&argc, argv))
		return 2;
	gb_add_context("machine_model", d.name);
	gb_run_specified();
	gb_shutdown();
	machine_destroy(m);
	if (zonelist_churn_check_failures()) {
		fprintf(stderr, "zonelist_churn_bench: the consistency checker failed\n");
		return 1;
	}
	return gb_any_error() ? 1 : 0;
}
