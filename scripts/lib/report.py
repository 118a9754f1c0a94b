#!/usr/bin/env python3
"""Turn a Google Benchmark JSON run of pagealloc_bench into Markdown tables.

Rows are named WORKLOAD/ALLOCATOR/order:N[/real_time][/threads:T]; one table per
workload, one row per allocator/order/threads. Times are Google Benchmark 1.7.1's:
real_time is divided by the thread count in multithreaded runs (time per operation
of the whole machine), cpu_time is per thread.
"""
import json
import sys

COUNTERS = [
    ("pcp_hit_rate", "pcp hit rate", "{:.3f}"),
    ("fastpath_rate", "fast-path rate", "{:.3f}"),
    ("refill_pages_per_1k_allocs", "refill pages /1k allocs", "{:.1f}"),
    ("drain_pages_per_1k_frees", "drain pages /1k frees", "{:.1f}"),
    ("zone_lock_wait_ns", "zone lock wait ns/op", "{:.2f}"),
    ("ops_per_second", "ops/s (total)", "{:.3g}"),
]


def parse_name(name):
    parts = name.split("/")
    row = {"workload": parts[0], "allocator": parts[1] if len(parts) > 1 else "", "threads": 1, "order": ""}
    for p in parts[2:]:
        if ":" in p:
            k, v = p.split(":", 1)
            if k == "threads":
                row["threads"] = int(v)
            elif k == "order":
                row["order"] = v
    return row


def main(path):
    with open(path) as f:
        data = json.load(f)
    ctx = data.get("context", {})
    print("# Results\n")
    print(f"- date: {ctx.get('date', '?')}, host CPUs: {ctx.get('num_cpus', '?')}, "
          f"machine model: {ctx.get('machine_model', '?')} ({ctx.get('model_cpus', '?')} CPUs)")
    print(f"- Google Benchmark library build: {ctx.get('library_build_type', '?')}")
    print("- time: ns per alloc+free pair; 'real' is wall time divided by threads (1.7.1), 'cpu' is per thread\n")
    by_workload = {}
    for b in data.get("benchmarks", []):
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        row = parse_name(b["run_name"] if "run_name" in b else b["name"])
        row["b"] = b
        by_workload.setdefault(row["workload"], []).append(row)
    for wl, rows in by_workload.items():
        present = [c for c in COUNTERS if any(c[0] in r["b"] for r in rows)]
        print(f"## {wl}\n")
        head = ["allocator", "order", "threads", "real ns", "cpu ns"] + [c[1] for c in present]
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for r in rows:
            b = r["b"]
            if b.get("error_occurred"):
                cells = [r["allocator"], r["order"], str(r["threads"]), "error: " + b.get("error_message", ""), ""]
                cells += [""] * len(present)
            else:
                unit = b.get("time_unit", "ns")
                scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[unit]
                cells = [r["allocator"], r["order"], str(r["threads"]),
                         f"{b['real_time'] * scale:.1f}", f"{b['cpu_time'] * scale:.1f}"]
                cells += [fmt.format(b[key]) if key in b else "" for key, _, fmt in present]
            print("| " + " | ".join(cells) + " |")
        print()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: report.py RUN.json")
    main(sys.argv[1])
