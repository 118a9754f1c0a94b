#!/usr/bin/env python3
"""pressure_table.py DIR NAME... - Markdown tables of the pressure rows of DIR/NAME.json
(Google Benchmark JSON from pressure_bench, one file per configuration), one table per
workload and allocator, the configurations side by side for each thread count.
Python 3 standard library only."""
import json
import os
import sys

FIGURES = [
    ("real_time", "ns per op (real)", "{:.0f}"),
    ("slowpath_entries_per_1k_allocs", "slow-path entries /1k allocs", "{:.2f}"),
    ("slowpath_p50_ns", "slow path p50 ns", "{:.0f}"),
    ("slowpath_p99_ns", "slow path p99 ns", "{:.0f}"),
    ("slowpath_p999_ns", "slow path p99.9 ns", "{:.0f}"),
    ("slowpath_max_ns", "slow path max ns", "{:.0f}"),
]
OUTCOMES = ["retry", "reclaim", "compact", "oom", "nofail", "fail"]
VMSTAT = ["allocstall", "pgscan_kswapd", "pgscan_direct", "pgsteal_kswapd", "pgsteal_direct", "compact_stall",
          "compact_success", "compact_fail", "compact_daemon_wake", "kswapd_low_wmark_hit_quickly",
          "workingset_refault", "pswpin", "pswpout", "oom_kill"]


def fmt(v, f):
    if v is None:
        return "-"
    return f.format(v)


def main():
    d, names = sys.argv[1], sys.argv[2:]
    rows = {}      # (workload, allocator) -> {(threads, config): bench}
    context = None
    for n in names:
        with open(os.path.join(d, n + ".json")) as f:
            j = json.load(f)
        context = context or j.get("context", {})
        for b in j["benchmarks"]:
            if b.get("run_type") == "aggregate" or b.get("error_occurred"):
                continue
            parts = b["name"].split("/")
            threads = int(parts[-1].split(":")[1])
            rows.setdefault((parts[0], parts[1]), {})[(threads, n)] = b
    print("# Pressure workloads: slow-path latency and reclaim, side by side\n")
    print("Made by `scripts/pressure-figures` (bench/pressure.h has what each workload does and what")
    print("each counter means). Host: %s, %s CPUs at %s MHz. Every figure per 1,000 allocations" %
          (context.get("host_name", "?"), context.get("num_cpus", "?"), context.get("mhz_per_cpu", "?")))
    print("unless it is a latency (ns, the slow path's whole entry, every CPU merged) or a count of")
    print("slow-path entries by outcome. Configurations: %s.\n" % ", ".join("`%s`" % n for n in names))
    for (w, alloc), runs in sorted(rows.items()):
        threads = sorted({t for t, _ in runs})
        cols = [(t, n) for t in threads for n in names if (t, n) in runs]
        print("## %s, %s\n" % (w, alloc))
        print("| figure | " + " | ".join("%d thr, %s" % (t, n) for t, n in cols) + " |")
        print("|---|" + "---:|" * len(cols))
        for key, label, f in FIGURES:
            print("| %s | " % label + " | ".join(fmt(runs[c].get(key), f) for c in cols) + " |")
        for o in OUTCOMES:
            if not any(("slowpath_%s_count" % o) in runs[c] for c in cols):
                continue
            print("| %s: entries | " % o + " | ".join(fmt(runs[c].get("slowpath_%s_count" % o), "{:.0f}") for c in cols) + " |")
            print("| %s: p50 / p99 ns | " % o + " | ".join(
                "-" if ("slowpath_%s_p50_ns" % o) not in runs[c] else "%.0f / %.0f" % (
                    runs[c]["slowpath_%s_p50_ns" % o], runs[c]["slowpath_%s_p99_ns" % o]) for c in cols) + " |")
        for v in VMSTAT:
            print("| %s | " % v + " | ".join(fmt(runs[c].get(v + "_per_1k_allocs"), "{:.2f}") for c in cols) + " |")
        print("| alloc_fail (count) | " + " | ".join(fmt(runs[c].get("alloc_fail"), "{:.0f}") for c in cols) + " |")
        print()


if __name__ == "__main__":
    main()
