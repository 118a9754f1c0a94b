// SPDX-License-Identifier: GPL-2.0
//
// gbench_shim.cc - the C API of gbench.h over Google Benchmark 1.7.1.
//
// Every extern "C" function is noexcept and runs its body through guard(),
// which turns any C++ exception into a message on stderr and abort(): an
// exception must never unwind through C frames.

#include "bench/gbench.h"

#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

// What a C benchmark body receives: the library's State plus the number of
// arguments each instance of its benchmark has, so that gb_range_arg() can
// check the index (State does not expose it).  Lives on the calling thread's
// stack for the duration of one call of the body.
struct gb_state {
	benchmark::State *st;
	size_t nargs;
};

namespace {

// One gb_register() call.  Owned here; the library's lambda points at it.
struct Registration {
	gb_fn *fn;
	void *arg;
	size_t nargs; // arguments per instance, from the builder calls
};

// Registration happens before the run on one thread (documented), so these
// need no lock; during the run they are only read.
std::vector<std::unique_ptr<Registration>> g_registrations;
std::unordered_map<benchmark::internal::Benchmark *, Registration *> g_by_benchmark;

std::atomic<bool> g_any_error{false};

[[noreturn]] void fatal(const char *where, const char *what) noexcept
{
	std::fprintf(stderr, "gbench: %s: %s\n", where, what);
	std::fflush(stderr);
	std::abort();
}

// Runs f(), aborting with a clear message if it throws.
template <typename F>
auto guard(const char *where, F &&f) noexcept -> decltype(f())
{
	try {
		return f();
	} catch (const std::exception &e) {
		std::string msg = "uncaught C++ exception: ";
		msg += e.what();
		fatal(where, msg.c_str());
	} catch (...) {
		fatal(where, "uncaught C++ exception of unknown type");
	}
}

void require(bool ok, const char *where, const char *what) noexcept
{
	if (!ok)
		fatal(where, what);
}

benchmark::State &st(const gb_state *s) noexcept
{
	return *s->st;
}

benchmark::internal::Benchmark *bm(gb_benchmark *b, const char *where) noexcept
{
	require(b != nullptr, where, "NULL gb_benchmark");
	return reinterpret_cast<benchmark::internal::Benchmark *>(b);
}

gb_benchmark *wrap(benchmark::internal::Benchmark *b) noexcept
{
	return reinterpret_cast<gb_benchmark *>(b);
}

// Records that instances of b take nargs arguments.
void set_nargs(gb_benchmark *b, size_t nargs) noexcept
{
	auto it = g_by_benchmark.find(reinterpret_cast<benchmark::internal::Benchmark *>(b));
	if (it != g_by_benchmark.end())
		it->second->nargs = nargs;
}

benchmark::Counter::Flags counter_flags(unsigned flags) noexcept
{
	const unsigned known = GB_IS_RATE | GB_AVG_THREADS |
			       GB_IS_ITERATION_INVARIANT | GB_AVG_ITERATIONS |
			       GB_INVERT;
	require((flags & ~known) == 0, "gb_counter", "unknown GB_* counter flag");

	// Map bit by bit rather than relying on equal values.
	unsigned out = benchmark::Counter::kDefaults;
	if (flags & GB_IS_RATE)
		out |= benchmark::Counter::kIsRate;
	if (flags & GB_AVG_THREADS)
		out |= benchmark::Counter::kAvgThreads;
	if (flags & GB_IS_ITERATION_INVARIANT)
		out |= benchmark::Counter::kIsIterationInvariant;
	if (flags & GB_AVG_ITERATIONS)
		out |= benchmark::Counter::kAvgIterations;
	if (flags & GB_INVERT)
		out |= static_cast<unsigned>(benchmark::Counter::kInvert);
	return static_cast<benchmark::Counter::Flags>(out);
}

benchmark::TimeUnit time_unit(gb_time_unit unit) noexcept
{
	switch (unit) {
	case GB_NS: return benchmark::kNanosecond;
	case GB_US: return benchmark::kMicrosecond;
	case GB_MS: return benchmark::kMillisecond;
	case GB_S: return benchmark::kSecond;
	}
	fatal("gb_unit", "unknown gb_time_unit");
}

} // namespace

extern "C" {

// ---- Registration ---------------------------------------------------------

gb_benchmark *gb_register(const char *name, gb_fn *fn, void *arg) noexcept
{
	require(name != nullptr, "gb_register", "NULL name");
	require(fn != nullptr, "gb_register", "NULL function");
	return guard("gb_register", [&] {
		g_registrations.push_back(
			std::unique_ptr<Registration>(new Registration{fn, arg, 0}));
		Registration *reg = g_registrations.back().get();
		benchmark::internal::Benchmark *b = benchmark::RegisterBenchmark(
			name, [reg](benchmark::State &state) {
				gb_state s{&state, reg->nargs};
				reg->fn(&s, reg->arg);
			});
		g_by_benchmark[b] = reg;
		return wrap(b);
	});
}

gb_benchmark *gb_arg(gb_benchmark *b, int64_t x) noexcept
{
	set_nargs(b, 1);
	return guard("gb_arg", [&] { return wrap(bm(b, "gb_arg")->Arg(x)); });
}

gb_benchmark *gb_args(gb_benchmark *b, const int64_t *v, size_t n) noexcept
{
	require(v != nullptr && n > 0, "gb_args", "need n >= 1 arguments");
	set_nargs(b, n);
	return guard("gb_args", [&] {
		return wrap(bm(b, "gb_args")->Args(std::vector<int64_t>(v, v + n)));
	});
}

gb_benchmark *gb_range(gb_benchmark *b, int64_t lo, int64_t hi) noexcept
{
	set_nargs(b, 1);
	return guard("gb_range", [&] { return wrap(bm(b, "gb_range")->Range(lo, hi)); });
}

gb_benchmark *gb_dense_range(gb_benchmark *b, int64_t lo, int64_t hi, int step) noexcept
{
	set_nargs(b, 1);
	return guard("gb_dense_range", [&] {
		return wrap(bm(b, "gb_dense_range")->DenseRange(lo, hi, step));
	});
}

gb_benchmark *gb_arg_names(gb_benchmark *b, const char *const *names, size_t n) noexcept
{
	require(names != nullptr || n == 0, "gb_arg_names", "NULL names");
	for (size_t i = 0; i < n; i++)
		require(names[i] != nullptr, "gb_arg_names", "NULL name");
	return guard("gb_arg_names", [&] {
		return wrap(bm(b, "gb_arg_names")
				    ->ArgNames(std::vector<std::string>(names, names + n)));
	});
}

gb_benchmark *gb_arg_name(gb_benchmark *b, const char *name) noexcept
{
	require(name != nullptr, "gb_arg_name", "NULL name");
	return guard("gb_arg_name", [&] { return wrap(bm(b, "gb_arg_name")->ArgName(name)); });
}

gb_benchmark *gb_threads(gb_benchmark *b, int n) noexcept
{
	return guard("gb_threads", [&] { return wrap(bm(b, "gb_threads")->Threads(n)); });
}

gb_benchmark *gb_thread_range(gb_benchmark *b, int lo, int hi) noexcept
{
	return guard("gb_thread_range", [&] {
		return wrap(bm(b, "gb_thread_range")->ThreadRange(lo, hi));
	});
}

gb_benchmark *gb_dense_thread_range(gb_benchmark *b, int lo, int hi, int stride) noexcept
{
	return guard("gb_dense_thread_range", [&] {
		return wrap(bm(b, "gb_dense_thread_range")->DenseThreadRange(lo, hi, stride));
	});
}

gb_benchmark *gb_use_real_time(gb_benchmark *b) noexcept
{
	return guard("gb_use_real_time", [&] {
		return wrap(bm(b, "gb_use_real_time")->UseRealTime());
	});
}

gb_benchmark *gb_min_time(gb_benchmark *b, double t) noexcept
{
	return guard("gb_min_time", [&] { return wrap(bm(b, "gb_min_time")->MinTime(t)); });
}

gb_benchmark *gb_iterations(gb_benchmark *b, int64_t n) noexcept
{
	return guard("gb_iterations", [&] {
		return wrap(bm(b, "gb_iterations")->Iterations(n));
	});
}

gb_benchmark *gb_repetitions(gb_benchmark *b, int n) noexcept
{
	return guard("gb_repetitions", [&] {
		return wrap(bm(b, "gb_repetitions")->Repetitions(n));
	});
}

gb_benchmark *gb_unit(gb_benchmark *b, gb_time_unit unit) noexcept
{
	benchmark::TimeUnit u = time_unit(unit);
	return guard("gb_unit", [&] { return wrap(bm(b, "gb_unit")->Unit(u)); });
}

gb_benchmark *gb_measure_process_cpu_time(gb_benchmark *b) noexcept
{
	return guard("gb_measure_process_cpu_time", [&] {
		return wrap(bm(b, "gb_measure_process_cpu_time")->MeasureProcessCPUTime());
	});
}

// ---- Inside the benchmark function ----------------------------------------

bool gb_keep_running(gb_state *s) noexcept
{
	return guard("gb_keep_running", [&] { return st(s).KeepRunning(); });
}

bool gb_keep_running_batch(gb_state *s, int64_t n) noexcept
{
	require(n > 0, "gb_keep_running_batch", "batch size must be > 0");
	return guard("gb_keep_running_batch", [&] { return st(s).KeepRunningBatch(n); });
}

void gb_pause_timing(gb_state *s) noexcept
{
	guard("gb_pause_timing", [&] { st(s).PauseTiming(); });
}

void gb_resume_timing(gb_state *s) noexcept
{
	guard("gb_resume_timing", [&] { st(s).ResumeTiming(); });
}

int64_t gb_range_arg(const gb_state *s, size_t i) noexcept
{
	if (i >= s->nargs) {
		char msg[128];
		std::snprintf(msg, sizeof(msg),
			      "argument index %zu out of range (the benchmark has %zu)",
			      i, s->nargs);
		fatal("gb_range_arg", msg);
	}
	return guard("gb_range_arg", [&] { return st(s).range(i); });
}

int gb_thread_index(const gb_state *s) noexcept
{
	return st(s).thread_index();
}

int gb_threads_count(const gb_state *s) noexcept
{
	return st(s).threads();
}

int64_t gb_iterations_done(const gb_state *s) noexcept
{
	return guard("gb_iterations_done", [&] {
		return static_cast<int64_t>(st(s).iterations());
	});
}

void gb_set_items_processed(gb_state *s, int64_t items) noexcept
{
	guard("gb_set_items_processed", [&] { st(s).SetItemsProcessed(items); });
}

void gb_set_bytes_processed(gb_state *s, int64_t bytes) noexcept
{
	guard("gb_set_bytes_processed", [&] { st(s).SetBytesProcessed(bytes); });
}

void gb_set_label(gb_state *s, const char *label) noexcept
{
	guard("gb_set_label", [&] { st(s).SetLabel(label ? label : ""); });
}

void gb_counter(gb_state *s, const char *name, double value, unsigned flags) noexcept
{
	require(name != nullptr, "gb_counter", "NULL counter name");
	benchmark::Counter::Flags f = counter_flags(flags);
	guard("gb_counter", [&] {
		st(s).counters[name] = benchmark::Counter(value, f);
	});
}

void gb_skip_with_error(gb_state *s, const char *msg) noexcept
{
	g_any_error.store(true, std::memory_order_relaxed);
	guard("gb_skip_with_error", [&] {
		st(s).SkipWithError(msg ? msg : "gb_skip_with_error");
	});
}

// ---- Driver ----------------------------------------------------------------

int gb_initialize(int *argc, char **argv) noexcept
{
	require(argc != nullptr && argv != nullptr, "gb_initialize", "NULL argc/argv");
	return guard("gb_initialize", [&] {
		benchmark::Initialize(argc, argv);
		return benchmark::ReportUnrecognizedArguments(*argc, argv) ? 1 : 0;
	});
}

void gb_add_context(const char *key, const char *value) noexcept
{
	require(key != nullptr && value != nullptr, "gb_add_context", "NULL key/value");
	guard("gb_add_context", [&] { benchmark::AddCustomContext(key, value); });
}

size_t gb_run_specified(void) noexcept
{
	return guard("gb_run_specified", [] { return benchmark::RunSpecifiedBenchmarks(); });
}

bool gb_any_error(void) noexcept
{
	return g_any_error.load(std::memory_order_relaxed);
}

static std::vector<void *> &owned_args()
{
	static std::vector<void *> v;
	return v;
}

void *gb_arg_alloc(size_t size) noexcept
{
	void *p = calloc(1, size ? size : 1);
	if (!p) {
		fprintf(stderr, "gb_arg_alloc: out of memory for a benchmark's argument (%zu bytes)\n", size);
		exit(2);
	}
	guard("gb_arg_alloc", [&] { owned_args().push_back(p); });
	return p;
}

void gb_shutdown(void) noexcept
{
	guard("gb_shutdown", [] { benchmark::Shutdown(); });
	for (void *p : owned_args())
		free(p);
	owned_args().clear();
}

} // extern "C"
