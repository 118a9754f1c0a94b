// SPDX-License-Identifier: GPL-2.0
/*
 * pressure_bench - the pressure workload (bench/pressure.h) on its own:
 *   pressure_bench [machine options] [--pressure-mib N] [Google Benchmark flags]
 * Machine options give the CPUs (--cpus) and are otherwise only a base; BENCH_MAX_THREADS
 * caps the thread counts (default: host CPUs). Exits 1 when a run left the machine
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
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--pressure-mib") && i + 1 < argc) {
			mib = strtoul(argv[i + 1], NULL, 0);
			memmove(&argv[i], &argv[i + 2], sizeof(char *) * (size_t)(argc - i - 1));
			argc -= 2;
			i--;
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
