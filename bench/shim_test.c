// SPDX-License-Identifier: GPL-2.0
/*
 * shim_test.c - end-to-end test of the gbench.h C API.
 *
 * Registers benchmarks that use every part of the API, runs them with
 * Google Benchmark writing JSON to a temporary file, reads the JSON back and
 * checks names, counters, labels, errors and iteration counts, on the one harness
 * (alloc/test_harness.h): a failed check says what it expected; "N passed, N failed".
 */
#include "alloc/test_harness.h"
#include "bench/gbench.h"

#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* CHECK with a message that says what was expected (alloc/test_harness.h counts it). */
__attribute__((format(printf, 2, 3)))
static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		return;
	fprintf(stderr, "  FAIL: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	t_failed_checks++;
}

/* ---- Benchmarks ---------------------------------------------------------- */

#define ITERS 1000

/* Every counter flag, thread index/count, args, items/bytes, label. */
static void bm_counters(gb_state *s, void *arg)
{
	int64_t sum = 0;

	(void)arg;
	while (gb_keep_running(s)) {
		sum++;
		gb_do_not_optimize(&sum);
	}
	int64_t it = gb_iterations_done(s);

	gb_counter(s, "avg7", 7, GB_AVG_THREADS);
	gb_counter(s, "sum7", 7, GB_COUNTER_DEFAULT);
	gb_counter(s, "rate", 1, GB_IS_RATE);
	gb_counter(s, "avg_rate", 1, GB_AVG_THREADS_RATE);
	gb_counter(s, "per_iter", (double)it, GB_AVG_ITERATIONS);
	gb_counter(s, "invariant", 3, GB_IS_ITERATION_INVARIANT);
	gb_counter(s, "inv", 4, GB_INVERT);
	gb_counter(s, "arg0", (double)gb_range_arg(s, 0), GB_AVG_THREADS);
	gb_counter(s, "tidx_sum", gb_thread_index(s), GB_COUNTER_DEFAULT);
	gb_counter(s, "nthreads", gb_threads_count(s), GB_AVG_THREADS);
	gb_counter(s, "iters", (double)it, GB_AVG_THREADS);
	gb_set_items_processed(s, it);
	gb_set_bytes_processed(s, it * 64);
	if (gb_thread_index(s) == 0)
		gb_set_label(s, "shim-label");
}

static atomic_long batch_loops[2];

/* Batched loop; arg selects which loop counter to record into. */
static void bm_batch(gb_state *s, void *arg)
{
	long loops = 0;

	while (gb_keep_running_batch(s, 10)) {
		loops++;
		gb_clobber_memory();
	}
	atomic_store(&batch_loops[*(const int *)arg], loops);
	gb_counter(s, "iters_done", (double)gb_iterations_done(s), GB_COUNTER_DEFAULT);
}

static double thread_cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

#define SPIN_US 500.0
static void spin(void)
{
	double t0 = thread_cpu_us();

	while (thread_cpu_us() - t0 < SPIN_US)
		gb_clobber_memory();
}

/* arg != NULL: spin with the timer paused; NULL: spin timed (control). */
static void bm_spin(gb_state *s, void *arg)
{
	while (gb_keep_running(s)) {
		if (arg) {
			gb_pause_timing(s);
			spin();
			gb_resume_timing(s);
		} else {
			spin();
		}
	}
}

/* Records its args as counters. */
static void bm_args(gb_state *s, void *arg)
{
	int nargs = *(const int *)arg;

	while (gb_keep_running(s))
		gb_clobber_memory();
	for (int i = 0; i < nargs; i++) {
		char name[16];

		snprintf(name, sizeof(name), "a%d", i);
		gb_counter(s, name, (double)gb_range_arg(s, (size_t)i), GB_AVG_THREADS);
	}
}

static void bm_error(gb_state *s, void *arg)
{
	(void)arg;
	while (gb_keep_running(s)) {
		gb_skip_with_error(s, "deliberate shim_test error");
		continue;
	}
}

/* ---- JSON reading (just enough for Google Benchmark's flat entries) ------- */

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	fclose(f);
	return buf;
}

/* The benchmark entry named exactly name, as [*begin, *end). */
static bool find_entry(const char *json, const char *name, const char **begin,
		       const char **end)
{
	char key[256];
	const char *p;

	snprintf(key, sizeof(key), "\"name\": \"%s\",", name);
	p = strstr(json, key);
	if (!p)
		return false;
	*begin = p;
	*end = strchr(p, '}');
	if (!*end)
		*end = p + strlen(p);
	return true;
}

/* Pointer to the value of "field" in an entry, or NULL. */
static const char *field(const char *json, const char *name, const char *fld)
{
	const char *b, *e, *p;
	char key[128];

	if (!find_entry(json, name, &b, &e))
		return NULL;
	snprintf(key, sizeof(key), "\"%s\": ", fld);
	p = strstr(b, key);
	if (!p || p >= e)
		return NULL;
	return p + strlen(key);
}

static double num(const char *json, const char *name, const char *fld)
{
	const char *v = field(json, name, fld);

	return v ? strtod(v, NULL) : NAN;
}

static bool near(double got, double want)
{
	return fabs(got - want) <= 1e-9 * fmax(1.0, fabs(want));
}

static void check_num(const char *json, const char *name, const char *fld, double want)
{
	double got = num(json, name, fld);

	check(near(got, want), "%s: %s = %g (want %g)", name, fld, got, want);
}

/* ---- main ------------------------------------------------------------------ */

static char *argv0;

/*
 * Every builder call registers its row; gb_initialize refuses an unknown argument; the run's
 * JSON has each row's counters, names, units, time kinds, repetitions and the deliberate error.
 * Expect: the values each check names.
 */
static void shim_registers_runs_and_reports(void)
{
	static const int batch_idx[2] = { 0, 1 };
	static const int two = 2, one = 1;
	static char out_flag[4096 + 32];
	static char path[4096];
	static char bogus_arg[] = "--gbshim_no_such_flag";
	static char min_time_arg[] = "--benchmark_min_time=0.01";
	static char fmt_arg[] = "--benchmark_out_format=json";
	const char *tmp = getenv("TEST_TMPDIR");
	gb_benchmark *b;
	char *json;

	snprintf(path, sizeof(path), "%s/gbench_shim_test.%ld.json",
		 tmp && *tmp ? tmp : "/tmp", (long)getpid());
	snprintf(out_flag, sizeof(out_flag), "--benchmark_out=%s", path);

	/* Registration: every builder call. */
	b = gb_register("counters", bm_counters, NULL);
	gb_thread_range(gb_iterations(gb_arg_name(gb_arg(b, 5), "arg"), ITERS), 1, 2);

	gb_iterations(gb_register("batch", bm_batch, (void *)&batch_idx[0]), ITERS);
	gb_iterations(gb_register("batch_overshoot", bm_batch, (void *)&batch_idx[1]),
		      ITERS + 5);

	gb_unit(gb_iterations(gb_register("spin_paused", bm_spin, (void *)&one), 20), GB_US);
	gb_measure_process_cpu_time(
		gb_unit(gb_iterations(gb_register("spin_timed", bm_spin, NULL), 20), GB_US));

	static const char *const arg_names[] = { "size", "order" };
	static const int64_t args1[] = { 5, 2 }, args2[] = { 7, 3 };
	b = gb_arg_names(gb_register("args", bm_args, (void *)&two), arg_names, 2);
	gb_args(gb_args(b, args1, 2), args2, 2);

	gb_min_time(gb_range(gb_register("range", bm_args, (void *)&one), 8, 64), 0.01);
	gb_unit(gb_dense_range(gb_register("dense", bm_args, (void *)&one), 1, 5, 2), GB_MS);
	static const int zero = 0;
	gb_dense_thread_range(gb_use_real_time(gb_register("realtime", bm_args, (void *)&zero)),
			      1, 3, 2);
	gb_threads(gb_arg(gb_register("threads2", bm_args, (void *)&one), 9), 2);
	gb_repetitions(gb_arg(gb_register("reps", bm_args, (void *)&one), 1), 2);
	gb_register("error", bm_error, NULL);

	/* gb_initialize reports arguments it does not know. */
	char *bogus_argv[] = { argv0, bogus_arg, NULL };
	int bogus_argc = 2;
	check(gb_initialize(&bogus_argc, bogus_argv) != 0,
	      "gb_initialize returns nonzero for an unrecognised argument");

	/* The library keeps argv: these arrays are static. */
	static char *bench_argv[5];
	int bench_argc = 4;
	bench_argv[0] = argv0;
	bench_argv[1] = min_time_arg;
	bench_argv[2] = out_flag;
	bench_argv[3] = fmt_arg;
	bench_argv[4] = NULL;
	int init_rc = gb_initialize(&bench_argc, bench_argv);
	check(init_rc == 0 && bench_argc == 1,
	      "gb_initialize accepts --benchmark_* flags (rc %d, argc left %d)", init_rc,
	      bench_argc);
	gb_add_context("shim_test", "yes");

	check(!gb_any_error(), "gb_any_error false before the run");
	size_t ran = gb_run_specified();
	check(ran == 18, "gb_run_specified ran %zu benchmark instances (want 18)", ran);
	check(gb_any_error(), "gb_any_error true after the run");

	json = read_file(path);
	check(json != NULL, "JSON written to %s", path);
	if (!json)
		goto done;

	/* Names Google Benchmark generates from the builder calls. */
	static const char *const names[] = {
		"counters/arg:5/iterations:1000/threads:1",
		"counters/arg:5/iterations:1000/threads:2",
		"batch/iterations:1000",
		"batch_overshoot/iterations:1005",
		"spin_paused/iterations:20",
		"spin_timed/iterations:20/process_time",
		"args/size:5/order:2",
		"args/size:7/order:3",
		"range/8/min_time:0.010",
		"range/64/min_time:0.010",
		"dense/1",
		"dense/3",
		"dense/5",
		"realtime/real_time/threads:1",
		"realtime/real_time/threads:3",
		"threads2/9/threads:2",
		"reps/1/repeats:2",
		"reps/1/repeats:2_mean",
		"error",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const char *bb, *ee;

		check(find_entry(json, names[i], &bb, &ee), "entry \"%s\" present", names[i]);
	}

	/* Counters: summed over threads unless GB_AVG_THREADS. */
	const char *c1 = "counters/arg:5/iterations:1000/threads:1";
	const char *c2 = "counters/arg:5/iterations:1000/threads:2";
	check_num(json, c1, "avg7", 7);
	check_num(json, c2, "avg7", 7);
	check_num(json, c1, "sum7", 7);
	check_num(json, c2, "sum7", 14);
	check_num(json, c1, "arg0", 5);
	check_num(json, c2, "arg0", 5);
	check_num(json, c1, "tidx_sum", 0);
	check_num(json, c2, "tidx_sum", 1);
	check_num(json, c1, "nthreads", 1);
	check_num(json, c2, "nthreads", 2);
	check_num(json, c1, "iters", ITERS);
	check_num(json, c2, "iters", ITERS);
	/* 1.7.1 reports the iterations of all threads together; the
	 * iteration flags use that total, after the thread sum. */
	check_num(json, c1, "iterations", ITERS);
	check_num(json, c2, "iterations", 2 * ITERS);
	check_num(json, c1, "inv", 0.25);
	check_num(json, c2, "inv", 0.125);
	check_num(json, c1, "per_iter", 1);
	check_num(json, c2, "per_iter", 1);
	check_num(json, c1, "invariant", 3.0 * ITERS);
	check_num(json, c2, "invariant", 3.0 * 2 * (2 * ITERS));
	for (int t = 0; t < 2; t++) {
		const char *c = t ? c2 : c1;
		double rate = num(json, c, "rate"), avg_rate = num(json, c, "avg_rate");
		double ips = num(json, c, "items_per_second");

		check(rate > 0 && isfinite(rate), "%s: GB_IS_RATE counter = %g > 0", c, rate);
		check(avg_rate > 0 && near(avg_rate * (t + 1), rate),
		      "%s: GB_AVG_THREADS_RATE = rate / threads (%g)", c, avg_rate);
		check(ips > 0 && isfinite(ips), "%s: items_per_second = %g", c, ips);
		check(near(num(json, c, "bytes_per_second"), 64 * ips),
		      "%s: bytes_per_second = 64 * items_per_second", c);
	}
	const char *lbl = field(json, c1, "label");
	check(lbl && strncmp(lbl, "\"shim-label\"", 12) == 0, "%s: label \"shim-label\"", c1);
	lbl = field(json, c2, "label");
	check(lbl && strncmp(lbl, "\"shim-label\"", 12) == 0, "%s: label \"shim-label\"", c2);
	check(strstr(json, "\"shim_test\": \"yes\"") != NULL, "gb_add_context in JSON context");

	/* Args reach the body. */
	check_num(json, "args/size:5/order:2", "a0", 5);
	check_num(json, "args/size:5/order:2", "a1", 2);
	check_num(json, "args/size:7/order:3", "a0", 7);
	check_num(json, "args/size:7/order:3", "a1", 3);
	check_num(json, "range/64/min_time:0.010", "a0", 64);
	check_num(json, "dense/3", "a0", 3);
	check_num(json, "threads2/9/threads:2", "a0", 9);
	const char *unit = field(json, "dense/5", "time_unit");
	check(unit && strncmp(unit, "\"ms\"", 4) == 0, "dense/5: time_unit \"ms\"");

	/* Batched keep-running. */
	check(atomic_load(&batch_loops[0]) == ITERS / 10,
	      "batch: %ld loops of 10 for %d iterations", atomic_load(&batch_loops[0]), ITERS);
	check_num(json, "batch/iterations:1000", "iterations", ITERS);
	check_num(json, "batch/iterations:1000", "iters_done", ITERS);
	check(atomic_load(&batch_loops[1]) == ITERS / 10 + 1,
	      "batch_overshoot: %ld loops of 10 for %d iterations",
	      atomic_load(&batch_loops[1]), ITERS + 5);
	check_num(json, "batch_overshoot/iterations:1005", "iters_done", ITERS + 10);

	/* Pause/resume keeps the spin out of the time; the control includes it. */
	double paused = num(json, "spin_paused/iterations:20", "cpu_time");
	double timed = num(json, "spin_timed/iterations:20/process_time", "cpu_time");
	check(paused < SPIN_US / 2, "spin_paused: cpu_time %.1f us < %.0f us", paused, SPIN_US / 2);
	check(timed >= SPIN_US * 0.9, "spin_timed: cpu_time %.1f us >= %.0f us", timed,
	      SPIN_US * 0.9);
	unit = field(json, "spin_paused/iterations:20", "time_unit");
	check(unit && strncmp(unit, "\"us\"", 4) == 0, "spin_paused: time_unit \"us\"");

	/* The deliberate error. */
	const char *err = field(json, "error", "error_occurred");
	check(err && strncmp(err, "true", 4) == 0, "error: \"error_occurred\": true");
	err = field(json, "error", "error_message");
	check(err && strncmp(err, "\"deliberate shim_test error\"", 28) == 0,
	      "error: error_message");
	err = field(json, c1, "error_occurred");
	check(!err || strncmp(err, "false", 5) == 0, "%s: no error", c1);

	free(json);
	remove(path);
done:
	gb_shutdown();
}

int main(int argc, char **argv)
{
	(void)argc;
	argv0 = argv[0];
	RUN(shim_registers_runs_and_reports);
	TEST_SUMMARY();
}
