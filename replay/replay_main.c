// SPDX-License-Identifier: GPL-2.0
/*
 * replay - replay a kernel page-allocator trace on the model and compare (replay.h).
 *
 *   replay TRACE [--zoneinfo FILE] [--policy NAME] [--json] [--skip-bad]
 *          [--tick-ms N] [--tick-phase-ms N] [--pcp-prefill infer|movable|spread|none]
 *          [--skip-unknown-frees] [--no-occupy] [--log FILE] [--quiet] [machine options]
 *
 * The machine: TRACE's capture sibling NAME.zoneinfo.before (NAME.trace.xz ->
 * NAME.zoneinfo.before) unless --zoneinfo, --config, --mem, --nodes or --cpus describe one.
 * The same zoneinfo's per-CPU count/high seed the lists (--pcp-prefill none: start empty).
 * Policy linux-6.18 (the newest kernel) and scheme trylock unless told otherwise. Exit 0, 1 when the trace
 * cannot be replayed (a malformed line without --skip-bad, ...), 2 for bad arguments.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc/machine.h"
#include "replay/replay.h"
#include "pcp/pcp.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: replay TRACE [--zoneinfo FILE] [--policy NAME] [--json] [--skip-bad]\n"
		"              [--tick-ms N] [--tick-phase-ms N] [--pcp-prefill infer|movable|spread|none]\n"
		"              [--skip-unknown-frees] [--no-occupy] [--log FILE] [--quiet] [machine options]\n"
		"  TRACE             perf script text of the kmem: page events, plain or .xz ('-': stdin)\n"
		"  --zoneinfo FILE   the machine and its per-CPU lists (default: TRACE's NAME.zoneinfo.before)\n"
		"  --policy P        linux-6.18 (the default here, whatever the machine options below say)\n"
		"                    or any of " PCP_POLICY_NAMES "\n"
		"  --json            the comparison as JSON (keys \"kernel\", \"model\", \"replay\")\n"
		"  --skip-bad        count and skip malformed lines instead of stopping at the first\n"
		"  --tick-ms N       vmstat tick period in trace time, for policies with one (6.7+; default\n"
		"                    1000; 0: none)\n"
		"  --tick-phase-ms N ticks at N ms past each period (default: from the capture's\n"
		"                    NAME.vmstat_ticks, else the trace's kworker drain runs, else 0)\n"
		"  --pcp-prefill M   where the capture's per-CPU count goes before the first event:\n"
		"                    infer (default: each list what the trace shows it served before its\n"
		"                    first refill; reads the trace twice), movable (all on the order-0\n"
		"                    MOVABLE list), spread (over the three order-0 lists) or none (empty\n"
		"                    lists, high at high_min)\n"
		"  --skip-unknown-frees  skip frees of pfns never seen allocated (allocated before the capture)\n"
		"                    instead of replaying them from memory in use since before it (the default;\n"
		"                    --replay-unknown-frees says so explicitly)\n"
		"  --no-occupy       start with every managed page free (default: each zone's free blocks\n"
		"                    as the capture's NAME.buddyinfo.before has them, the rest in use)\n"
		"  --log FILE        one line per model refill, drain and vmstat tick ('-': stderr)\n"
		"  --quiet           no warnings about unknown events or gfp names\n\n%s",
		machine_options_help);
}

static const char *const shaping[] = { "--zoneinfo", "--config", "--mem", "--nodes", "--cpus" };

static int is_shaping(const char *a)
{
	for (size_t i = 0; i < sizeof(shaping) / sizeof(shaping[0]); i++) {
		size_t n = strlen(shaping[i]);
		if (!strncmp(a, shaping[i], n) && (a[n] == '\0' || a[n] == '='))
			return 1;
	}
	return 0;
}

/* Milliseconds: a finite number in [0, 3,600,000] (an hour), in nanoseconds; -1 if not. */
static int64_t parse_ms(const char *val)
{
	char *end;
	if (!val || !*val)
		return -1;
	errno = 0;
	double ms = strtod(val, &end);
	if (*end || errno || !isfinite(ms) || ms < 0 || ms > 3600e3)
		return -1;
	return (int64_t)(ms * 1e6);
}

static const char *trace_name(const char *path, char *buf, size_t size)
{
	const char *base = strrchr(path, '/');
	size_t n;

	snprintf(buf, size, "%s", base ? base + 1 : path);
	n = strlen(buf);
	if (n > 9 && !strcmp(buf + n - 9, ".trace.xz"))
		buf[n - 9] = '\0';
	else if (n > 6 && !strcmp(buf + n - 6, ".trace"))
		buf[n - 6] = '\0';
	else if (n > 3 && !strcmp(buf + n - 3, ".xz"))
		buf[n - 3] = '\0';
	return buf;
}

int main(int argc, char **argv)
{
	struct replay_options o;
	bool tick_given = false;
	struct machine_desc d, probe;
	char err[1024], sibling[4096], ticks_file[4096], name[256];
	const char *zoneinfo = NULL, *log_path = NULL;
	int json = 0, no_prefill_state = 0, shaped = 0, out = 1;

	replay_options_default(&o);
	/* our own options first */
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(a, "--json")) {
			json = 1;
		} else if (!strcmp(a, "--skip-bad")) {
			o.trace_flags |= TRACE_SKIP_BAD;
		} else if (!strcmp(a, "--quiet")) {
			o.quiet = true;
		} else if (!strcmp(a, "--replay-unknown-frees")) {
			o.replay_unknown_frees = true;
		} else if (!strcmp(a, "--skip-unknown-frees")) {
			o.replay_unknown_frees = false;
		} else if (!strcmp(a, "--no-occupy")) {
			o.no_occupy = true;
		} else if (!strncmp(a, "--log", 5) && (a[5] == '=' || a[5] == '\0')) {
			val = a[5] == '=' ? a + 6 : (i + 1 < argc ? argv[++i] : NULL);
			if (!val) {
				fprintf(stderr, "replay: --log needs a file ('-': stderr)\n");
				return 2;
			}
			log_path = val;         /* opened once every argument has been checked */
		} else if (!strncmp(a, "--tick-ms", 9) && (a[9] == '=' || a[9] == '\0')) {
			val = a[9] == '=' ? a + 10 : (i + 1 < argc ? argv[++i] : NULL);
			int64_t ns = parse_ms(val);
			if (ns < 0) {
				fprintf(stderr, "replay: --tick-ms '%s' is not a number of milliseconds in 0..3600000 (0: no tick)\n",
					val ? val : "");
				return 2;
			}
			o.tick_ns = (uint64_t)ns;
			tick_given = true;
		} else if (!strncmp(a, "--tick-phase-ms", 15) && (a[15] == '=' || a[15] == '\0')) {
			val = a[15] == '=' ? a + 16 : (i + 1 < argc ? argv[++i] : NULL);
			int64_t ns = parse_ms(val);
			if (ns < 0) {
				fprintf(stderr, "replay: --tick-phase-ms '%s' is not a number of milliseconds in 0..3600000 "
					"(past each tick period)\n", val ? val : "");
				return 2;
			}
			o.tick_phase_ns = ns;
		} else if (!strncmp(a, "--pcp-prefill", 13) && (a[13] == '=' || a[13] == '\0')) {
			val = a[13] == '=' ? a + 14 : (i + 1 < argc ? argv[++i] : NULL);
			if (val && !strcmp(val, "none"))
				no_prefill_state = 1, o.prefill = REPLAY_PREFILL_NONE;
			else if (val && !strcmp(val, "infer"))
				o.prefill = REPLAY_PREFILL_INFER;
			else if (val && !strcmp(val, "movable"))
				o.prefill = REPLAY_PREFILL_MOVABLE;
			else if (val && !strcmp(val, "spread"))
				o.prefill = REPLAY_PREFILL_SPREAD;
			else {
				fprintf(stderr, "replay: --pcp-prefill takes infer, movable, spread or none\n");
				return 2;
			}
		} else {
			if (is_shaping(a))
				shaped = 1;
			if (!strncmp(a, "--zoneinfo", 10)) {
				if (a[10] == '=')
					zoneinfo = a + 11;
				else if (i + 1 < argc)
					zoneinfo = argv[i + 1];
			}
			argv[out++] = argv[i];
		}
	}
	argc = out;
	argv[argc] = NULL;

	/* Which arguments are not machine options: the trace, and nothing else. */
	char *copy[argc + 1];
	memcpy(copy, argv, sizeof(char *) * (size_t)(argc + 1));
	int left = argc;
	machine_desc_default(&probe);
	if (machine_desc_parse_args(&probe, &left, copy, err, sizeof(err))) {
		fprintf(stderr, "replay: %s\n", err);
		return 2;
	}
	for (int i = 1; i < left; i++)
		if (copy[i][0] == '-' && copy[i][1]) {
			fprintf(stderr, "replay: unknown option '%s' (replay --help lists them)\n", copy[i]);
			return 2;
		}
	if (left != 2) {
		fprintf(stderr, left < 2 ? "replay: no TRACE given\n" : "replay: expected one TRACE, got %d: %s %s%s\n",
			left - 1, left > 1 ? copy[1] : "", left > 2 ? copy[2] : "", left > 3 ? " ..." : "");
		usage(stderr);
		return 2;
	}
	const char *trace = copy[1];
	if (strcmp(trace, "-") && access(trace, R_OK)) {
		fprintf(stderr, "replay: %s: %s\n", trace, strerror(errno));
		return 2;
	}

	machine_desc_default(&d);
	d.policy = PCP_POLICY_NEWEST;
	d.scheme = PCP_SCHEME_TRYLOCK;	/* one thread holds every CPU: no membarrier needed */
	if (!shaped) {
		if (replay_sibling(trace, "zoneinfo.before", sibling, sizeof(sibling))) {
			fprintf(stderr,
				"replay: no %s beside the trace: give --zoneinfo FILE, or describe a machine "
				"(--mem, --cpus, --config, ...)\n",
				sibling);
			return 2;
		}
		if (machine_desc_load_zoneinfo(&d, sibling, err, sizeof(err))) {
			fprintf(stderr, "replay: %s\n", err);
			return 2;
		}
		zoneinfo = sibling;
	}
	left = argc;
	if (machine_desc_parse_args(&d, &left, argv, err, sizeof(err))) {
		fprintf(stderr, "replay: %s\n", err);
		return 2;
	}
	o.pcp_state = no_prefill_state ? NULL : zoneinfo;
	if (o.tick_phase_ns < 0 && !replay_sibling(trace, "vmstat_ticks", ticks_file, sizeof(ticks_file))) {
		int64_t phase;
		long n = replay_read_tick_phase(ticks_file, &phase, err, sizeof(err));
		if (n < 0) {
			fprintf(stderr, "replay: %s\n", err);
			return 2;
		}
		if (n > 0) {
			o.tick_phase_ns = phase;
			o.tick_phase_from = "vmstat_ticks";
		}
	}

	if (o.tick_ns && o.tick_phase_ns >= (int64_t)o.tick_ns) {
		fprintf(stderr, "replay: --tick-phase-ms %.3f is not below the tick period (--tick-ms %.3f)\n",
			(double)o.tick_phase_ns / 1e6, (double)o.tick_ns / 1e6);
		return 2;
	}
	struct machine *m = machine_create(&d, err, sizeof(err));
	if (!m) {
		fprintf(stderr, "replay: %s\n", err);
		return 2;
	}
	if (tick_given && o.tick_ns && !m->pcp_policy->vmstat_tick)
		fprintf(stderr, "replay: note: %s's vmstat tick does nothing to the pcp lists; --tick-ms has no effect\n",
			m->pcp_policy->name);
	if (log_path) {
		o.log = strcmp(log_path, "-") ? fopen(log_path, "w") : stderr;
		if (!o.log) {
			fprintf(stderr, "replay: --log %s: %s\n", log_path, strerror(errno));
			machine_destroy(m);
			return 2;
		}
	}
	struct replay_result r;
	int rc = replay_trace(m, trace, &o, &r, err, sizeof(err));
	trace_name(trace, name, sizeof(name));
	if (rc) {
		fprintf(stderr, "replay: %s: %s\n", trace, err);
	} else if (json) {
		replay_print_json(&r, name, stdout);
	} else {
		printf("Machine: %s, %d CPUs, scheme %s", m->desc.name, m->nr_cpus, pcp_scheme_name(m->desc.scheme));
		if (o.pcp_state)
			printf("; lists seeded from %s (prefill: %s)", o.pcp_state, r.extra.prefill);
		printf("\n");
		replay_print_table(&r, name, stdout);
	}
	replay_result_destroy(&r);
	machine_destroy(m);
	if (o.log && o.log != stderr)
		fclose(o.log);
	return rc ? 1 : 0;
}
