#!/usr/bin/env python3
"""Write results/README.md from the run folders under results/runs/ (scripts/lib/index-results).

The page has: the list of published runs (newest first, perf profiles marked), the latest
benchmark run's tables and plots, a few of its rows set beside the kernel's figures for
scale, and the published kernel and LLFree figures, labelled as such: they were measured
on real kernels and hardware by others, not here. Python 3 standard library only.
"""
import os
import re
import sys

sys.dont_write_bytecode = True     # no __pycache__ beside the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402

# From shared/notes/kernel-reference.md, "Published numbers to compare against".
PUBLISHED = [
    ("order-0 alloc+free, pcp hit", "Linux 4.6 → 4.7 (page_bench01)", "272 → 231 cycles",
     "Brouer, linux-mm, April 2016"),
    ("order-0 alloc+free", "Linux 4.11-rc1", "143 cycles", "Brouer, MM summit 2017"),
    ("order-0 single vs bulk API", "Linux 5.13 dev", "199 vs 110 cycles per page", "Brouer, March 2021"),
    ("orders 0/1/2/3/4/5 alloc+free", "Linux ≈6.2", "246/300/328/357/516/801 cycles",
     "linux-mm, January 2023"),
    ('"repeat" (alloc+free one page), 1 → 24 threads', "Linux 6.0, Xeon Gold 5320 2.2 GHz",
     "≈113 ns, flat", "llfree-bench (LLFree, USENIX ATC '23)"),
    ('"bulk" order-0, alloc / free, 1 → 24-26 threads', "Linux 6.0",
     "93 → 902-984 ns / 90 → 1137-1241 ns", "same"),
    ('"bulk" order-9 alloc, 1 → 24 threads', "Linux 6.0", "2.0 → 70 µs", "same"),
    ('"rand" (frees on other CPUs), 1 → 24 threads', "Linux 6.0", "197 → 3637 ns", "same"),
    ("zone->lock share of cycles, will-it-scale page_fault1, 112 CPUs", "Linux 4.19", "80 %",
     "Aaron Lu, linux-mm, October 2018"),
    ("pcp auto-tuning, kbuild on 224 CPUs", "Linux 6.7",
     "lock contention 14 % → 0.5-1 %; pages taken from the zone down to 16-20 % of before",
     "Huang Ying, linux-mm, October 2023"),
]


def machine_cpu(run_dir):
    """The CPU line of machine.md, or ''."""
    try:
        with open(os.path.join(run_dir, "machine.md")) as f:
            for line in f:
                m = re.match(r"\|\s*CPU\s*\|\s*(.*?)\s*\|", line)
                if m:
                    return m.group(1)
    except OSError:
        pass
    return ""


def runs(results_dir):
    """[(name, dir, run)] for every runs/*/bench.json, newest first (folder names start with the date)."""
    base = os.path.join(results_dir, "runs")
    out = []
    if not os.path.isdir(base):
        return out
    for name in sorted(os.listdir(base), reverse=True):
        d = os.path.join(base, name)
        j = os.path.join(d, "bench.json")
        if os.path.isfile(j):
            try:
                out.append((name, d, report.load(j)))
            except (ValueError, KeyError) as e:
                print(f"index-results: skipping {j}: {e}", file=sys.stderr)
    return out


def is_profile(run_dir, run):
    return run["context"].get("suite") == "perf-profile" or \
        os.path.exists(os.path.join(run_dir, "perf-report.txt"))


def runs_table(items):
    body = []
    for name, d, run in items:
        ctx = run["context"]
        rows = run["rows"]
        prof = is_profile(d, run)
        links = [f"[results](runs/{name}/results.md)"] if os.path.exists(os.path.join(d, "results.md")) else []
        if os.path.exists(os.path.join(d, "perf-report.txt")):
            links.append(f"[perf report](runs/{name}/perf-report.txt)")
        if os.path.exists(os.path.join(d, "perf-stat.txt")):
            links.append(f"[perf stat](runs/{name}/perf-stat.txt)")
        links.append(f"[JSON](runs/{name}/bench.json)")
        reps = max([r.reps for r in rows] or [1])
        kind = "perf profile" if prof else ctx.get("suite", "?")
        body.append([f"`{name}`", ctx.get("date", "?")[:16].replace("T", " "), kind,
                     str(len(rows)), f"{reps}",
                     f"{ctx.get('machine_model', '?')}, {ctx.get('model_cpus', '?')} CPUs",
                     f"{ctx.get('host_cpus', ctx.get('num_cpus', '?'))} × {machine_cpu(d) or '?'}",
                     ", ".join(links)])
    head = ["run", "date (UTC)", "suite", "rows", "reps", "machine model", "host", "files"]
    return report.md_table(head, body)


def published_table():
    return report.md_table(["operation", "system", "figure", "source"], [list(r) for r in PUBLISHED])


def scale_table(run):
    """Rows of a run nearest to the published figures, in ns and ≈cycles at the host's MHz."""
    ctx = run["context"]
    try:
        mhz = float(ctx.get("mhz_per_cpu", 0))
    except (TypeError, ValueError):
        mhz = 0
    picks = []
    for r in run["rows"]:
        if r.error or r.is_peer:
            continue
        if r.workload in ("repeat", "bulk") and r.order == "0" and r.threads == 1:
            picks.append(r)
    for r in run["rows"]:
        if not r.error and r.workload == "per-order" and r.order.isdigit() and int(r.order) <= 5:
            picks.append(r)
    body = []
    for r in picks:
        cyc = f"{r.ns_per_op * mhz / 1000:.0f}" if mhz else ""
        body.append([r.workload, r.allocator, f"order {r.order}", str(r.threads), report.fmt_ns(r.ns_per_op), cyc])
    if not body:
        return ""
    return report.md_table(["workload", "allocator", "order", "threads", "ns/op", f"≈ cycles at {mhz:.0f} MHz"], body)


def render(results_dir):
    items = runs(results_dir)
    out = ["# Results\n",
           "Benchmark runs of the page-allocator model, published in this folder. Make one with\n"
           "`scripts/bench` (add `--full` for every workload, min_time 0.5 s and 3 repetitions), profile\n"
           "with `scripts/perf-profile`, compare two with `scripts/compare A B` (or two allocators of\n"
           "one run: `scripts/compare RUN --rows model-linux-4.12-owner model-linux-6.18-owner`), and\n"
           "rewrite this page with `scripts/lib/index-results` after adding a folder under `runs/`.\n",
           "Every figure measured here is a userspace model's, timed on a VM that is often shared\n"
           "with other work (each run's machine.md says which): compare rows within a run, and treat\n"
           "run-to-run differences of a few tens of percent as noise.\n",
           "## Runs\n"]
    if items:
        out.append(runs_table(items))
    else:
        out.append("No runs yet: `scripts/bench` writes one under `runs/`.\n")
    latest = next(((n, d, r) for n, d, r in items if not is_profile(d, r)), None)
    if latest:
        name, d, run = latest
        out.append(f"## Latest run: `{name}`\n")
        out.append(f"Machine: [machine.md](runs/{name}/machine.md); console output: "
                   f"[console.txt](runs/{name}/console.txt).\n")
        plots = report.plots_in(os.path.join(d, "plots"))
        out.append(report.render(run, plots, link_prefix=f"runs/{name}/", level=3))
        sc = scale_table(run)
        if sc:
            out.append(f"## This run beside the kernel's figures (measured here, for scale)\n")
            out.append("The model's rows nearest to the published figures below. Cycles are ns ×"
                       " the host's clock as Google Benchmark reports it; the model is userspace code"
                       " on a VM, not the kernel, so only orders of magnitude and trends compare.\n")
            out.append(sc)
    out.append("## Published figures (published, not measured here)\n")
    out.append("Measured by others on real kernels and hardware; collected in the project's kernel"
               " reference notes. None of these numbers was produced by this project.\n")
    out.append(published_table())
    return "\n".join(out)


def main(argv):
    root = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    results_dir = argv[0] if argv else os.path.join(root, "results")
    text = render(results_dir)
    path = os.path.join(results_dir, "README.md")
    with open(path, "w") as f:
        f.write(text)
    print(path)


if __name__ == "__main__":
    main(sys.argv[1:])
