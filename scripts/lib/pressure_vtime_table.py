#!/usr/bin/env python3
"""pressure_vtime_table.py FILE.json... - Markdown tables of the simulator's pressure rows
(scripts/simulate --json, one array per file; a row's "config" names its configuration):
one table per workload, a row per CPU count, each policy's and configuration's figures side
by side. Python 3 standard library only."""
import json
import sys

FIGURES = [
    ("min_free_kbytes", lambda r: r["min_free_kbytes"], "{:d}"),
    ("ns/access", lambda r: r["ns_per_op"], "{:.0f}"),
    ("zone_lock_share", lambda r: r["zone_lock_share"], "{:.3f}"),
    ("slow-path /1k", lambda r: r["reclaim"]["slowpath_entries_per_1k_allocs"], "{:.1f}"),
    ("allocstall /1k", lambda r: r["reclaim"]["allocstall_per_1k_allocs"], "{:.2f}"),
    ("pgscan_kswapd /1k", lambda r: r["reclaim"]["pgscan_kswapd_per_1k_allocs"], "{:.0f}"),
    ("pgscan_direct /1k", lambda r: r["reclaim"]["pgscan_direct_per_1k_allocs"], "{:.0f}"),
    ("compact_stall /1k", lambda r: r["reclaim"]["compact_stall_per_1k_allocs"], "{:.2f}"),
    ("refault /1k", lambda r: r["reclaim"]["workingset_refault_per_1k_allocs"], "{:.0f}"),
    ("pswpout /1k", lambda r: r["reclaim"]["pswpout_per_1k_allocs"], "{:.0f}"),
    ("oom_kill /1k", lambda r: r["reclaim"]["oom_kill_per_1k_allocs"], "{:.3f}"),
    ("slow p50 ns", lambda r: r["reclaim"]["slowpath_all"]["p50_ns"], "{:.0f}"),
    ("slow p99 ns", lambda r: r["reclaim"]["slowpath_all"]["p99_ns"], "{:.0f}"),
    ("slow p99.9 ns", lambda r: r["reclaim"]["slowpath_all"]["p999_ns"], "{:.0f}"),
    ("pcp hit rate", lambda r: r["pcp_hit_rate"], "{:.4f}"),
]


def main():
    rows = []
    for path in sys.argv[1:]:
        with open(path) as f:
            rows += json.load(f)
    workloads = sorted({r["workload"] for r in rows}, key=lambda w: [x["workload"] for x in rows].index(w))
    for w in workloads:
        mine = [r for r in rows if r["workload"] == w]
        configs = []
        def key(r):
            cfg = r.get("config", "default")
            return f'{r["policy"]} {r["scheme"]}' + ("" if cfg == "default" else f", {cfg}")
        for r in mine:
            if key(r) not in configs:
                configs.append(key(r))
        cpus = sorted({r["cpus"] for r in mine})
        by = {(key(r), r["cpus"]): r for r in mine}
        print(f"### {w}\n")
        for name, get, f in FIGURES:
            print(f"{name} | " + " | ".join(f"{c}" for c in configs))
            print("---: | " + " | ".join("---:" for _ in configs))
            for n in cpus:
                cells = [f.format(get(by[(c, n)])) if (c, n) in by else "-" for c in configs]
                print(f"{n} CPUs | " + " | ".join(cells))
            print()


if __name__ == "__main__":
    main()
