/* SPDX-License-Identifier: GPL-2.0 */
/*
 * gbench.h - a small C API over Google Benchmark 1.7.1 (Debian libbenchmark-dev).
 *
 * The implementation (gbench_shim.cc) is the only C++ in the project; benchmarks
 * are written in C against this header.  Usable from C11 and C++.
 *
 * Typical use:
 *
 *   static void bm_alloc(gb_state *s, void *arg)
 *   {
 *           struct zone *z = arg;
 *           while (gb_keep_running(s))
 *                   gb_do_not_optimize(alloc_page(z, gb_range_arg(s, 0)));
 *           gb_set_items_processed(s, gb_iterations_done(s));  // after the loop
 *   }
 *
 *   int main(int argc, char **argv)
 *   {
 *           gb_thread_range(gb_range(gb_register("alloc", bm_alloc, zone), 0, 10), 1, 8);
 *           if (gb_initialize(&argc, argv))
 *                   return 2;
 *           gb_run_specified();
 *           gb_shutdown();
 *           return gb_any_error() ? 1 : 0;
 *   }
 *
 * Facts about 1.7.1 worth knowing when reading its output:
 *  - the library is Debian's debug build ("library_build_type": "debug");
 *  - in multithreaded runs real time is divided by the thread count, and
 *    "iterations" is the total over all threads;
 *  - user counters are summed over threads unless GB_AVG_THREADS is given.
 *
 * Every function is noexcept in C++.  A C++ exception raised inside the shim
 * is not propagated: the process prints a message naming the gb_ call and
 * aborts.  Invalid arguments (NULL names, unknown flags or units) abort too.
 */
#ifndef GBENCH_H
#define GBENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define GB_NOEXCEPT noexcept
extern "C" {
#else
#define GB_NOEXCEPT
#endif

/* Opaque handles: a gb_state wraps the benchmark::State of one thread's call
 * of a benchmark function and is valid only during that call; a gb_benchmark
 * is a registered benchmark::internal::Benchmark, owned by the library. */
typedef struct gb_state gb_state;
typedef struct gb_benchmark gb_benchmark;

/* A benchmark body.  It runs once per thread per run; per-thread setup
 * (CPU binding, RCU registration) belongs here, before the loop. */
typedef void gb_fn(gb_state *state, void *arg);

/* Time units for gb_unit(). */
typedef enum gb_time_unit { GB_NS, GB_US, GB_MS, GB_S } gb_time_unit;

/* Counter flags for gb_counter(); bit flags, combine with |.  Applied after
 * the per-thread values are summed, in this order: rate, threads,
 * iteration-invariant, iterations, invert.  "Iterations" there is the total
 * over all threads. */
#define GB_COUNTER_DEFAULT        0u         /* sum over threads */
#define GB_IS_RATE                (1u << 0)  /* divide by seconds (CPU time unless gb_use_real_time) */
#define GB_AVG_THREADS            (1u << 1)  /* divide by thread count */
#define GB_IS_ITERATION_INVARIANT (1u << 2)  /* multiply by iterations */
#define GB_AVG_ITERATIONS         (1u << 3)  /* divide by iterations */
#define GB_INVERT                 (1u << 31) /* report 1/value (applied last) */
#define GB_AVG_THREADS_RATE       (GB_IS_RATE | GB_AVG_THREADS)
#define GB_IS_ITERATION_INVARIANT_RATE (GB_IS_RATE | GB_IS_ITERATION_INVARIANT)
#define GB_AVG_ITERATIONS_RATE    (GB_IS_RATE | GB_AVG_ITERATIONS)

/* ---- Registration (before gb_run_specified; not thread-safe) ------------ */

/* Register fn under name; arg is passed through untouched (shared by all
 * threads and runs).  The name is copied.  Returns the benchmark for the
 * builder calls below, each of which returns b so calls can be nested. */
gb_benchmark *gb_register(const char *name, gb_fn *fn, void *arg) GB_NOEXCEPT;

/* size zeroed bytes for a benchmark's arg, owned by the shim and freed by gb_shutdown():
 * registrations keep no allocation of their own alive past the run. Never NULL (out of
 * memory at registration ends the program with a message). */
void *gb_arg_alloc(size_t size) GB_NOEXCEPT;

/* Add one run with a single argument (read with gb_range_arg(s, 0)). */
gb_benchmark *gb_arg(gb_benchmark *b, int64_t x) GB_NOEXCEPT;
/* Add one run with n >= 1 arguments v[0..n-1]. */
gb_benchmark *gb_args(gb_benchmark *b, const int64_t *v, size_t n) GB_NOEXCEPT;
/* Add runs for lo, powers of 8 in between, and hi (Google Benchmark's Range). */
gb_benchmark *gb_range(gb_benchmark *b, int64_t lo, int64_t hi) GB_NOEXCEPT;
/* Add runs for lo, lo+step, ... up to hi inclusive. */
gb_benchmark *gb_dense_range(gb_benchmark *b, int64_t lo, int64_t hi, int step) GB_NOEXCEPT;
/* Name the arguments in reported names ("bm/size:5/order:2"); names copied. */
gb_benchmark *gb_arg_names(gb_benchmark *b, const char *const *names, size_t n) GB_NOEXCEPT;
/* Name the single argument ("bm/n:5"). */
gb_benchmark *gb_arg_name(gb_benchmark *b, const char *name) GB_NOEXCEPT;
/* Run with n threads ("bm/threads:n"); may be called several times. */
gb_benchmark *gb_threads(gb_benchmark *b, int n) GB_NOEXCEPT;
/* Run with lo, then doubling counts, up to hi threads (1..16: 1,2,4,8,16). */
gb_benchmark *gb_thread_range(gb_benchmark *b, int lo, int hi) GB_NOEXCEPT;
/* Run with lo, lo+stride, ... threads, and hi. */
gb_benchmark *gb_dense_thread_range(gb_benchmark *b, int lo, int hi, int stride) GB_NOEXCEPT;
/* Time with the wall clock instead of CPU time (also the base of rates). */
gb_benchmark *gb_use_real_time(gb_benchmark *b) GB_NOEXCEPT;
/* Run each instance for at least t seconds (overrides --benchmark_min_time). */
gb_benchmark *gb_min_time(gb_benchmark *b, double t) GB_NOEXCEPT;
/* Run exactly n iterations per thread, once (no iteration estimation). */
gb_benchmark *gb_iterations(gb_benchmark *b, int64_t n) GB_NOEXCEPT;
/* Repeat each instance n times and report mean/median/stddev/cv too. */
gb_benchmark *gb_repetitions(gb_benchmark *b, int n) GB_NOEXCEPT;
/* Unit of reported times. */
gb_benchmark *gb_unit(gb_benchmark *b, gb_time_unit unit) GB_NOEXCEPT;
/* Measure CPU time of the whole process instead of the benchmark threads. */
gb_benchmark *gb_measure_process_cpu_time(gb_benchmark *b) GB_NOEXCEPT;

/* ---- Inside the benchmark function ------------------------------------- */

/* Loop condition: true while another iteration should run.  The function
 * must not return before it has returned false (except after
 * gb_skip_with_error).  One out-of-line call per iteration: for bodies of a
 * few ns prefer gb_keep_running_batch. */
bool gb_keep_running(gb_state *s) GB_NOEXCEPT;
/* Batched loop condition: true when n (> 0) more iterations should run; the
 * body does n iterations' work per call.  May overshoot the target by up to
 * n - 1 iterations; gb_iterations_done() counts the overshoot. */
bool gb_keep_running_batch(gb_state *s, int64_t n) GB_NOEXCEPT;
/* Stop/restart the timer inside the loop (each costs a few clock reads). */
void gb_pause_timing(gb_state *s) GB_NOEXCEPT;
void gb_resume_timing(gb_state *s) GB_NOEXCEPT;

/* Argument i of this run (state.range(i)); aborts unless i < the number of
 * arguments given by gb_arg/gb_args/gb_range/gb_dense_range. */
int64_t gb_range_arg(const gb_state *s, size_t i) GB_NOEXCEPT;
/* This thread's index in [0, gb_threads_count(s)). */
int gb_thread_index(const gb_state *s) GB_NOEXCEPT;
/* Number of threads running this instance. */
int gb_threads_count(const gb_state *s) GB_NOEXCEPT;
/* Iterations this thread has done so far (the total, after the loop). */
int64_t gb_iterations_done(const gb_state *s) GB_NOEXCEPT;

/*
 * Reporting.  Counters (items, bytes, gb_counter) go into the state's
 * counter map, which allocates: set them after the timed loop, never in it.
 * Counter values from all threads are summed before the flags apply.
 */
/* Report items_per_second = items / seconds. */
void gb_set_items_processed(gb_state *s, int64_t items) GB_NOEXCEPT;
/* Report bytes_per_second = bytes / seconds. */
void gb_set_bytes_processed(gb_state *s, int64_t bytes) GB_NOEXCEPT;
/* Attach a label to the reported run (copied; NULL clears). */
void gb_set_label(gb_state *s, const char *label) GB_NOEXCEPT;
/* Set user counter name (copied) to value with GB_* flags. */
void gb_counter(gb_state *s, const char *name, double value, unsigned flags) GB_NOEXCEPT;

/* Mark this run failed with msg (copied; first message wins) and stop its
 * timer; the run is reported with "error_occurred": true and no times, and
 * gb_any_error() becomes true.  Call at most once per thread, then return
 * (before the loop) or continue so that gb_keep_running returns false. */
void gb_skip_with_error(gb_state *s, const char *msg) GB_NOEXCEPT;

/* ---- Driver ------------------------------------------------------------ */

/* Parse --benchmark_* flags out of argv (benchmark::Initialize), then report
 * what is left.  Returns nonzero if unrecognised arguments remain.  The
 * library keeps the argv[0] pointer: argv must outlive the run.  --help
 * prints the flags and exits. */
int gb_initialize(int *argc, char **argv) GB_NOEXCEPT;
/* Add key=value to the "context" of the reports; call before the run. */
void gb_add_context(const char *key, const char *value) GB_NOEXCEPT;
/* Run the benchmarks selected by --benchmark_filter; returns how many
 * benchmark instances ran. */
size_t gb_run_specified(void) GB_NOEXCEPT;
/* True if any run so far called gb_skip_with_error. */
bool gb_any_error(void) GB_NOEXCEPT;
/* Release the library's global state (benchmark::Shutdown); last call. */
void gb_shutdown(void) GB_NOEXCEPT;

/* ---- Optimisation barriers (C versions of DoNotOptimize/ClobberMemory) -- */

/* The compiler must assume *p (and anything reachable) is read and written
 * here, and p escapes: keeps a computed result, or stores to it, alive. */
static inline void gb_do_not_optimize(const void *p) GB_NOEXCEPT
{
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

/* Forces pending stores to memory to be treated as done (compiler barrier). */
static inline void gb_clobber_memory(void) GB_NOEXCEPT
{
	__asm__ __volatile__("" : : : "memory");
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* GBENCH_H */
