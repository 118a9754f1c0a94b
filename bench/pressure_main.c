// SPDX-License-Identifier: GPL-2.0
/*
 * pressure_bench - the pressure workload (bench/pressure.h) on its own:
 *   pressure_bench [machine options] [--pressure-mem SIZE] [Google Benchmark flags]
 * Every machine option reaches the rows' machine (memory: --pressure-mem a node, default
 * 256M); BENCH_MAX_THREADS caps the thread counts (default: host CPUs). Exits 1 when a run left the machine
 * inconsistent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc/machine.h"
#include "bench/gbench.h"
#include "bench/pressure.h"
#include "bench/max_threads.h"

int main(int argc, char **argv)
{
	if (bench_threads_take("pressure_bench", &argc, argv))
		return 2;
	struct machine_desc d;
	char err[512];
	unsigned long mib = 256;

	machine_desc_default(&d);
	if (pressure_mem_take(&argc, argv, &mib, err, sizeof(err))) {
		fprintf(stderr, "pressure_bench: %s\n", err);
		return 2;
	}
	if (machine_desc_parse_args(&d, &argc, argv, err, sizeof(err))) {
		fprintf(stderr, "pressure_bench: %s\n%s", err, machine_options_help);
		return 2;
	}
	int max_threads = bench_max_threads("pressure_bench", (int)sysconf(_SC_NPROCESSORS_ONLN));
	if (max_threads < 0)
		return 2;
	if (register_pressure_workloads(&d, mib, max_threads, NULL))
		return 2;
	if (gb_initialize(&argc, argv))
		return 2;
	gb_run_specified();
	gb_shutdown();
	return pressure_check_failures() || gb_any_error() ? 1 : 0;
}
