#!/usr/bin/env python3
"""Turn a Google Benchmark JSON run of pagealloc_bench into Markdown tables.

    report.py RUN.json [--plots DIR] [--link-prefix PREFIX] [--level N]

Rows are named WORKLOAD/ALLOCATOR/key:value.../[real_time/][threads:T]
(e.g. repeat/model-linux-4.12-owner/order:0/real_time/threads:2 or
vcpu/model-linux-6.18/cpus:8). ALLOCATOR names starting with "model-" are the model;
any other name (glibc, jemalloc, mimalloc, tcmalloc) is a peer run on the same workload.

Times are Google Benchmark 1.7.1's: real_time is divided by the thread count in
multithreaded runs (machine time per iteration), cpu_time is per thread. Rows that
report items_per_second (bulk: one iteration allocates and frees N pages) are also
shown per operation: ns/op = 1e9 / items_per_second. With --benchmark_repetitions the
median aggregate is used (or the median of the repetitions when the JSON has no
aggregates), and the coefficient of variation of real time is shown.

The module is also the loader the other scripts share (plot.py, compare.py,
results_index.py): load() returns {"context": {...}, "rows": [Row, ...]}.
Python 3 standard library only.
"""
import json
import statistics
import sys

# counter key, column heading, format. Unknown counters are shown after these.
COUNTERS = [
    ("pcp_hit_rate", "pcp hit rate", "{:.3f}"),
    ("fastpath_rate", "fast-path rate", "{:.3f}"),
    ("refill_pages_per_1k_allocs", "refill pages /1k allocs", "{:.1f}"),
    ("drain_pages_per_1k_frees", "drain pages /1k frees", "{:.1f}"),
    ("zone_lock_wait_ns", "zone lock wait ns/op", "{:.2f}"),
    ("stranded_pages", "stranded pages", "{:.0f}"),
    ("stranded_mib", "stranded MiB", "{:.1f}"),
    ("stranded_pages_max_cpu", "stranded pages, most on one CPU", "{:.0f}"),
    ("slowpath_p50_ns", "slow path p50 ns", "{:.0f}"),
    ("slowpath_p90_ns", "slow path p90 ns", "{:.0f}"),
    ("slowpath_p99_ns", "slow path p99 ns", "{:.0f}"),
    ("slowpath_p999_ns", "slow path p99.9 ns", "{:.0f}"),
    ("slowpath_max_ns", "slow path max ns", "{:.0f}"),
    ("ops_per_second", "ops/s (total)", "{:.3g}"),
]
KNOWN = {c[0] for c in COUNTERS}

# Fields of a Google Benchmark row that are not user counters.
STANDARD_FIELDS = {
    "name", "family_index", "per_family_instance_index", "run_name", "run_type",
    "repetitions", "repetition_index", "threads", "iterations", "real_time", "cpu_time",
    "time_unit", "aggregate_name", "aggregate_unit", "error_occurred", "error_message",
    "items_per_second", "bytes_per_second", "label", "big_o", "rms",
}
# Name parts Google Benchmark appends itself; they are not parameters of the workload.
GB_NAME_KEYS = {"threads", "min_time", "iterations", "repeats", "min_warmup_time"}
GB_NAME_FLAGS = {"real_time", "process_time", "manual_time"}

TIME_SCALE = {"ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}


class Row:
    """One benchmark instance (repetitions folded into one row)."""

    def __init__(self, name):
        self.name = name
        parts = name.split("/")
        self.workload = parts[0]
        self.allocator = parts[1] if len(parts) > 1 else ""
        self.params = {}        # workload parameters in name order, e.g. {"order": "0"}
        self.threads = 1
        for p in parts[2:]:
            if ":" in p:
                k, v = p.split(":", 1)
                if k == "threads":
                    self.threads = int(v)
                elif k not in GB_NAME_KEYS:
                    self.params[k] = v
            elif p not in GB_NAME_FLAGS:
                self.params[p] = ""
        self.real_ns = None
        self.cpu_ns = None
        self.ns_per_op = None
        self.items_per_iter = None
        self.counters = {}
        self.reps = 1
        self.cv_pct = None
        self.error = None

    @property
    def is_peer(self):
        return not self.allocator.startswith("model-")

    @property
    def order(self):
        return self.params.get("order", "")

    def param_str(self, skip=()):
        return " ".join(f"{k} {v}".strip() for k, v in self.params.items() if k not in skip)

    def key_without(self, field):
        """The row's identity with one name component removed ("allocator" or a param)."""
        comps = [self.workload, self.allocator if field != "allocator" else "*"]
        comps += [f"{k}:{v}" if v else k for k, v in self.params.items() if k != field]
        if field != "threads":
            comps.append(f"threads:{self.threads}")
        return "/".join(comps)


def _num(b, key):
    v = b.get(key)
    return v if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _fill(row, b):
    """Times and counters of one JSON entry (an iteration or the median aggregate)."""
    scale = TIME_SCALE.get(b.get("time_unit", "ns"), 1.0)
    row.real_ns = b["real_time"] * scale
    row.cpu_ns = b["cpu_time"] * scale
    for k, v in b.items():
        if k not in STANDARD_FIELDS and _num(b, k) is not None:
            row.counters[k] = v
    ips = _num(b, "items_per_second")
    if ips:
        row.ns_per_op = 1e9 / ips
        row.items_per_iter = row.real_ns / row.ns_per_op
    else:
        row.ns_per_op = row.real_ns
    if "virtual_ns_per_op" in row.counters:
        # the simulator's rows: the model's time is virtual; real time is only the host's
        row.ns_per_op = row.counters["virtual_ns_per_op"]


def _median_entry(entries):
    """Median of every numeric field over repetitions (for JSON without aggregates)."""
    out = dict(entries[0])
    for k in entries[0]:
        vals = [_num(e, k) for e in entries]
        if k not in ("repetition_index", "family_index", "per_family_instance_index") and \
                all(v is not None for v in vals):
            out[k] = statistics.median(vals)
    return out


def rows_from(data):
    """Fold a Google Benchmark JSON document into Rows, in the order they first appear."""
    groups = {}
    for b in data.get("benchmarks", []):
        name = b.get("run_name") or b["name"]
        groups.setdefault(name, []).append(b)
    rows = []
    for name, entries in groups.items():
        row = Row(name)
        errors = [e for e in entries if e.get("error_occurred")]
        iters = [e for e in entries if e.get("run_type", "iteration") == "iteration"]
        aggs = {e.get("aggregate_name"): e for e in entries if e.get("run_type") == "aggregate"}
        row.reps = max([len(iters)] + [int(e.get("repetitions", 1)) for e in entries])
        if errors:
            row.error = errors[0].get("error_message", "error")
        elif "median" in aggs:
            _fill(row, aggs["median"])
        elif len(iters) > 1:
            _fill(row, _median_entry(iters))
        elif iters:
            _fill(row, iters[0])
        elif "mean" in aggs:
            _fill(row, aggs["mean"])
        else:
            row.error = "no data"
        if not row.error:
            if "cv" in aggs and _num(aggs["cv"], "real_time") is not None:
                row.cv_pct = aggs["cv"]["real_time"] * 100.0
            elif len(iters) > 1:
                vals = [e["real_time"] for e in iters]
                mean = statistics.mean(vals)
                row.cv_pct = statistics.stdev(vals) / mean * 100.0 if mean else None
        rows.append(row)
    return rows


class BadJSON(ValueError):
    """A results file that is not a whole Google Benchmark JSON document: the message names it."""


def fail(tool, msg):
    """Bad input: one line naming it on stderr, exit 2 (as every command here does)."""
    print(f"{tool}: {msg}", file=sys.stderr)
    sys.exit(2)


_NUMERIC = ("real_time", "cpu_time", "iterations", "threads", "repetitions", "repetition_index",
            "family_index", "per_family_instance_index", "items_per_second", "bytes_per_second")


def load_doc(path):
    """The parsed document, checked for the shape every script here reads; BadJSON if not."""
    try:
        with open(path, "rb") as f:
            raw = f.read(512 << 20)
    except OSError as e:
        raise BadJSON(f"{path}: cannot read it: {e.strerror or e}") from None
    if not raw.strip():
        raise BadJSON(f"{path}: empty: not a Google Benchmark JSON file (was the run cut short?)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BadJSON(f"{path}: not text (byte {e.start} is not UTF-8): not a Google Benchmark JSON file") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise BadJSON(f"{path}: not valid JSON (line {e.lineno} column {e.colno}: {e.msg});"
                      " a half-written file? (was the run cut short?)") from None
    if not isinstance(doc, dict):
        raise BadJSON(f"{path}: the top level is a JSON {type(doc).__name__}, not an object with a"
                      " \"benchmarks\" list: not a Google Benchmark JSON file")
    if not isinstance(doc.get("benchmarks"), list):
        raise BadJSON(f"{path}: \"benchmarks\" is {'missing' if 'benchmarks' not in doc else 'not a list'}:"
                      " not a Google Benchmark JSON file")
    if not isinstance(doc.get("context", {}), dict):
        raise BadJSON(f"{path}: \"context\" is not an object")
    for i, b in enumerate(doc["benchmarks"]):
        if not isinstance(b, dict):
            raise BadJSON(f"{path}: benchmark {i} is not an object")
        if not isinstance(b.get("name"), str) or not b["name"]:
            raise BadJSON(f"{path}: benchmark {i} has no name (or a name that is not a string)")
        if "run_name" in b and not isinstance(b["run_name"], str):
            raise BadJSON(f"{path}: benchmark {i} ({b['name']}): run_name is not a string")
        for k in _NUMERIC:
            if k in b and (isinstance(b[k], bool) or not isinstance(b[k], (int, float))):
                raise BadJSON(f"{path}: benchmark {i} ({b['name']}): {k} is not a number")
    return doc


def load(path):
    data = load_doc(path)
    return {"context": data.get("context", {}), "rows": rows_from(data), "path": path}


def by_workload(rows):
    out = {}
    for r in rows:
        out.setdefault(r.workload, []).append(r)
    return out


def sort_allocators(names):
    """Model allocators first (in the order given), then peers alphabetically."""
    model = [n for n in names if n.startswith("model-")]
    peers = sorted(n for n in names if not n.startswith("model-"))
    return model + peers


def fmt_ns(v):
    if v is None:
        return ""
    if v >= 99999.5:
        return f"{v:,.0f}"
    if v >= 99.95:              # 99.97 reads 100, not 100.0
        return f"{v:.0f}"
    return f"{v:.1f}"


def counter_columns(rows):
    """(key, heading, format) of the counters present in these rows, known ones first."""
    present = [c for c in COUNTERS if any(c[0] in r.counters for r in rows)]
    extra = sorted({k for r in rows for k in r.counters} - KNOWN)
    return present + [(k, k, "{:.4g}") for k in extra]


def md_table(head, body):
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cells) + " |" for cells in body]
    return "\n".join(lines) + "\n"


def summary_tables(rows):
    """Pivot tables: ns/op by thread count (and by order for single-thread workloads)."""
    out = []
    wl = by_workload(rows)
    # by threads
    body = []
    threads = sorted({r.threads for r in rows if not r.error})
    multi = [w for w, rs in wl.items() if len({r.threads for r in rs}) > 1]
    for w in multi:
        rs = wl[w]
        groups = {}
        for r in rs:
            groups.setdefault((r.param_str(), r.allocator), {})[r.threads] = r
        allocs = sort_allocators(list(dict.fromkeys(r.allocator for r in rs)))
        params = list(dict.fromkeys(r.param_str() for r in rs))
        for p in params:
            for a in allocs:
                g = groups.get((p, a))
                if not g:
                    continue
                cells = [w, p, a]
                for t in threads:
                    r = g.get(t)
                    cells.append("" if r is None else ("error" if r.error else fmt_ns(r.ns_per_op)))
                body.append(cells)
    if body:
        head = ["workload", "parameters", "allocator"] + [f"{t} thr" for t in threads]
        out.append(("ns per operation by threads", md_table(head, body)))
    # by order, for workloads that only run one thread count
    body = []
    orders = sorted({int(r.order) for r in rows if r.order.isdigit()})
    for w, rs in wl.items():
        if w in multi or len({r.order for r in rs}) < 2:
            continue
        groups = {}
        for r in rs:
            groups.setdefault((r.allocator, r.param_str(skip=("order",))), {})[r.order] = r
        for (a, p), g in groups.items():
            cells = [w, a + (f" ({p})" if p else "")]
            for o in orders:
                r = g.get(str(o))
                cells.append("" if r is None else ("error" if r.error else fmt_ns(r.ns_per_op)))
            body.append(cells)
    if body:
        head = ["workload", "allocator"] + [f"order {o}" for o in orders]
        out.append(("ns per operation by order (one thread)", md_table(head, body)))
    return out


def detail_table(rows):
    params = list(dict.fromkeys(k for r in rows for k in r.params))
    counters = counter_columns(rows)
    bulk = any(r.items_per_iter for r in rows)
    reps = any(r.reps > 1 for r in rows)
    head = ["allocator"] + params + ["threads", "ns/op"]
    if bulk:
        head += ["ops/iter"]
    head += ["real ns/iter", "cpu ns/iter"]
    if reps:
        head += ["reps", "cv %"]
    head += [c[1] for c in counters]
    body = []
    for r in rows:
        cells = [r.allocator] + [r.params.get(k, "") for k in params] + [str(r.threads)]
        if r.error:
            cells += ["error: " + r.error]
            cells += [""] * (len(head) - len(cells))
        else:
            cells += [fmt_ns(r.ns_per_op)]
            if bulk:
                cells += [f"{r.items_per_iter:.0f}" if r.items_per_iter else ""]
            cells += [fmt_ns(r.real_ns), fmt_ns(r.cpu_ns)]
            if reps:
                cells += [str(r.reps), "" if r.cv_pct is None else f"{r.cv_pct:.1f}"]
            cells += [fmt.format(r.counters[k]) if k in r.counters else "" for k, _, fmt in counters]
        body.append(cells)
    return md_table(head, body)


def context_lines(ctx, rows):
    reps = max([r.reps for r in rows] or [1])
    suite = ctx.get("suite", "")
    lines = [
        f"- date: {ctx.get('date', '?')}; host: {ctx.get('host_cpus', ctx.get('num_cpus', '?'))} CPUs"
        f" at {ctx.get('mhz_per_cpu', '?')} MHz; machine model: {ctx.get('machine_model', '?')}"
        f" ({ctx.get('model_cpus', '?')} model CPUs)",
        f"- suite: {suite or '?'}; min_time {ctx.get('min_time', '?')} s; repetitions {reps}"
        + ("; the median of the repetitions is shown" if reps > 1 else "")
        + f"; Google Benchmark library build: {ctx.get('library_build_type', '?')}"
        + (f"; source: {ctx['git_commit']}" if ctx.get("git_commit") else ""),
        "- ns/op: machine time per alloc+free of one block: real time per iteration (Google"
        " Benchmark 1.7.1 divides wall time by the thread count), or, where an iteration does N"
        " operations (bulk), 1e9 / items_per_second; 'cpu ns/iter' is per thread; vtime-* rows:"
        " virtual ns per operation of the simulated CPUs (their real time is the host's, simulating)",
    ]
    return "\n".join(lines) + "\n"


def render(run, plots=None, link_prefix="", level=1):
    """The Markdown of a run. plots: [(title, png, svg)] relative to link_prefix."""
    h = "#" * level
    rows = run["rows"]
    out = [f"{h} Results\n", context_lines(run["context"], rows)]
    for title, table in summary_tables(rows):
        out.append(f"{h}# {title}\n\n{table}")
    if plots:
        out.append(f"{h}# Plots\n")
        for title, png, svg in plots:
            out.append(f"![{title}]({link_prefix}{png}) ([SVG]({link_prefix}{svg}))\n")
    for wl, rs in by_workload(rows).items():
        out.append(f"{h}# {wl}\n\n{detail_table(rs)}")
    return "\n".join(out)


def plots_in(run_dir_plots, rel="plots/"):
    """[(title, png, svg)] for the PNG+SVG pairs plot.py wrote (its index.txt gives titles)."""
    import os
    idx = os.path.join(run_dir_plots, "index.txt")
    out = []
    if not os.path.exists(idx):
        return out
    with open(idx) as f:
        for line in f:
            stem, _, title = line.rstrip("\n").partition("\t")
            if os.path.exists(os.path.join(run_dir_plots, stem + ".png")):
                out.append((title or stem, f"{rel}{stem}.png", f"{rel}{stem}.svg"))
    return out


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description="Markdown tables of a pagealloc_bench JSON run")
    ap.add_argument("json")
    ap.add_argument("--plots", help="folder of plot.py's output to embed (links are relative"
                    " to the Markdown file, which is expected beside the folder)")
    ap.add_argument("--link-prefix", default="")
    ap.add_argument("--level", type=int, default=1)
    a = ap.parse_args(argv)
    try:
        run = load(a.json)
    except BadJSON as e:
        fail("report.py", e)
    plots = None
    if a.plots:
        import os
        plots = plots_in(a.plots, os.path.basename(os.path.normpath(a.plots)) + "/")
    sys.stdout.write(render(run, plots, a.link_prefix, a.level))


if __name__ == "__main__":
    main(sys.argv[1:])
