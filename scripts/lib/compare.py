#!/usr/bin/env python3
"""Compare two pagealloc_bench runs, or two allocators within one run (scripts/compare).

    compare.py [--table] A B                   A, B: run folders (holding bench.json) or JSON files
    compare.py [--table] RUN --rows X Y        rows of allocator X against the same rows of Y

By default the comparison is Google Benchmark's own tools/compare.py (Debian package
libbenchmark-tools, /usr/share/benchmark/compare.py, which needs python3-scipy) when it
and a Python with scipy are present; otherwise, or with --table, this module's table:
name, A ns/op, B ns/op, B/A, and each counter as "A → B". Rows are matched by name; with
--rows, by name with the allocator replaced by "*". Repetitions are folded to their
median (see report.py). Python 3 standard library only.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap

sys.dont_write_bytecode = True     # no __pycache__ beside the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402

GBENCH_COMPARE = "/usr/share/benchmark/compare.py"
# counters shown in the table, in this order (any others present follow)
SHOWN = ["pcp_hit_rate", "fastpath_rate", "refill_pages_per_1k_allocs", "drain_pages_per_1k_frees",
         "zone_lock_wait_ns", "stranded_pages", "slowpath_p50_ns", "slowpath_p99_ns", "slowpath_p999_ns"]
HIDDEN = {"ops_per_second"}     # the same as ns/op


def json_path(p):
    if os.path.isdir(p):
        j = os.path.join(p, "bench.json")
        if not os.path.exists(j):
            report.fail("compare", f"{p} holds no bench.json (is it a run folder from scripts/bench?)")
        return j
    if not os.path.exists(p):
        report.fail("compare", f"{p}: no such file or folder")
    return p


def pairs_runs(a_rows, b_rows):
    """[(label, rowA|None, rowB|None)] matching rows of two runs by name."""
    bmap = {r.name: r for r in b_rows}
    out = [(r.name, r, bmap.pop(r.name, None)) for r in a_rows]
    out += [(n, None, r) for n, r in bmap.items()]
    return out


def pairs_rows(rows, x, y):
    """[(label, rowX|None, rowY|None)] matching the rows of allocator x with those of y."""
    xs = {r.key_without("allocator"): r for r in rows if r.allocator == x}
    ys = {r.key_without("allocator"): r for r in rows if r.allocator == y}
    if not xs or not ys:
        have = ", ".join(report.sort_allocators(list(dict.fromkeys(r.allocator for r in rows))))
        missing = x if not xs else y
        raise SystemExit(f"compare: no rows for allocator '{missing}' (this run has: {have})")
    out = [(k, r, ys.pop(k, None)) for k, r in xs.items()]
    out += [(k, None, r) for k, r in ys.items()]
    return out


def fmt_counter(v):
    if v is None:
        return "-"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.1f}"
    if abs(v) < 1:
        return f"{v:.6g}"     # rates: 0.999997 and 0.999985 must not both read 1
    return f"{v:.4g}"


# Short column heads: the table must stay readable in 100 characters.
SHORT = {"pcp_hit_rate": "hit", "fastpath_rate": "fast", "refill_pages_per_1k_allocs": "refill/1k",
         "drain_pages_per_1k_frees": "drain/1k", "zone_lock_wait_ns": "lock ns", "stranded_pages": "stranded",
         "slowpath_p50_ns": "p50 ns", "slowpath_p99_ns": "p99 ns", "slowpath_p999_ns": "p99.9 ns"}
WIDTH = 100


def _width(head, body):
    return max(len(report.md_table(head, [cells])[:0] or "| " + " | ".join(cells) + " |") for cells in [head] + body)


def table(pairs, label_a="A", label_b="B"):
    # label_a/label_b name A and B in the lines listing unmatched rows
    """Markdown: name, A ns/op, B ns/op, B/A, and the counters that differ between A and B
    somewhere ('a → b'), as many as fit in WIDTH characters; the other differing counters
    follow as (name, counter, A, B) lines; then the unmatched names."""
    both = [(n, a, b) for n, a, b in pairs if a is not None and b is not None]
    keys = set()
    for _, a, b in both:
        keys |= set(a.counters) | set(b.counters)
    counters = [k for k in SHOWN if k in keys] + sorted(keys - set(SHOWN) - HIDDEN - report.KNOWN)
    ok = [(n, a, b) for n, a, b in both if not a.error and not b.error]
    differing = [k for k in counters if any(a.counters.get(k) != b.counters.get(k) for _, a, b in ok)]
    head = ["name", "A ns/op", "B ns/op", "B/A"]
    body = []
    for name, a, b in both:
        if a.error or b.error:
            body.append([name, "error" if a.error else report.fmt_ns(a.ns_per_op),
                         "error" if b.error else report.fmt_ns(b.ns_per_op), ""])
        else:
            ratio = b.ns_per_op / a.ns_per_op if a.ns_per_op else float("nan")
            body.append([name, report.fmt_ns(a.ns_per_op), report.fmt_ns(b.ns_per_op), f"{ratio:.2f}"])

    def cell(a, b, k):
        if a.error or b.error:
            return ""
        va, vb = a.counters.get(k), b.counters.get(k)
        return fmt_counter(va) if va == vb else f"{fmt_counter(va)} → {fmt_counter(vb)}"

    inline, rest = [], []
    for k in differing:
        trial_head = head + [SHORT.get(k, k)]
        trial_body = [row + [cell(a, b, k)] for row, (_, a, b) in zip(body, both)]
        if not rest and _width(trial_head, trial_body) <= WIDTH:
            head, body = trial_head, trial_body
            inline.append(k)
        else:
            rest.append(k)
    out = report.md_table(head, body)
    if inline:
        out += "\n" + textwrap.fill("columns: " + ", ".join(f"{SHORT.get(k, k)} = {k}" for k in inline
                                                           if SHORT.get(k, k) != k) +
                                    " (A → B where they differ; counters equal on every row are left out)",
                                    WIDTH) + "\n"
    if rest:
        lines = [[n, k, fmt_counter(a.counters.get(k)), fmt_counter(b.counters.get(k))]
                 for k in rest for n, a, b in ok if a.counters.get(k) != b.counters.get(k)]
        out += "\nother counters that differ:\n\n" + report.md_table(["name", "counter", "A", "B"], lines)
    for label, names in ((label_a, [n for n, a, b in pairs if b is None]),
                         (label_b, [n for n, a, b in pairs if a is None])):
        if names:
            more = f", ... ({len(names) - 6} more)" if len(names) > 6 else ""
            out += "\n" + textwrap.fill(f"only in {label} ({len(names)} rows): " + ", ".join(names[:6]) + more,
                                        WIDTH) + "\n"
    return out


def python_with_scipy():
    """A Python that can import scipy (Debian's python3-scipy is for /usr/bin/python3)."""
    for py in dict.fromkeys([sys.executable, "/usr/bin/python3"]):
        if py and os.path.exists(py):
            r = subprocess.run([py, "-c", "import scipy.stats"], capture_output=True)
            if r.returncode == 0:
                return py
    return None


def gbench_compare_available():
    if not os.path.exists(GBENCH_COMPARE):
        return None
    return python_with_scipy()


def _rename(data, keep, rename):
    """A copy of a JSON document with the benchmarks keep() accepts, names mapped by rename()."""
    out = {"context": data.get("context", {}), "benchmarks": []}
    for b in data.get("benchmarks", []):
        if not keep(b):
            continue
        b = dict(b)
        for f in ("name", "run_name"):
            if f in b:
                b[f] = rename(b[f])
        out["benchmarks"].append(b)
    return out


def _allocator_of(name):
    parts = name.split("/")
    return parts[1] if len(parts) > 1 else ""


def _star(name):
    parts = name.split("/")
    if len(parts) > 1:
        parts[1] = "*"
    return "/".join(parts)


def _run_name(b):
    return b.get("run_name") or b["name"]


def run_gbench_compare(py, a_json, b_json, rows=None):
    """Run Google Benchmark's compare.py on copies of the inputs holding only the benchmarks
    both sides have (its OVERALL_GEOMEAN covers every benchmark of each file, so unmatched
    ones would skew it); with rows=(x, y), both sides come from a_json, allocator named "*"."""
    color = [] if sys.stdout.isatty() else ["--no-color"]
    da = report.load_doc(a_json)
    if rows:
        x, y = rows
        sides = [_rename(da, lambda b, al=al: _allocator_of(b["name"]) == al, _star) for al in (x, y)]
    else:
        db = report.load_doc(b_json)
        sides = [_rename(d, lambda b: True, lambda n: n) for d in (da, db)]
    common = {_run_name(b) for b in sides[0]["benchmarks"]} & {_run_name(b) for b in sides[1]["benchmarks"]}
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for doc, tag in zip(sides, ("a", "b")):
            doc["benchmarks"] = [b for b in doc["benchmarks"] if _run_name(b) in common]
            p = os.path.join(tmp, f"{tag}.json")
            with open(p, "w") as f:
                json.dump(doc, f)
            files.append(p)
        r = subprocess.run([py, GBENCH_COMPARE] + color + ["benchmarks"] + files,
                           capture_output=True, text=True)
    if r.returncode != 0:
        return None, r.stderr.strip()
    # its first line names the temporary files; the caller prints its own heading instead
    lines = r.stdout.splitlines()
    if lines and lines[0].startswith("Comparing "):
        lines = lines[1:]
    return "\n".join(lines) + "\n", None


def main(argv):
    ap = argparse.ArgumentParser(
        prog="scripts/compare",
        description="Compare two runs (folders or JSON files), or two allocators within one run.")
    ap.add_argument("runs", nargs="+", metavar="RUN", help="A B, or one RUN with --rows")
    ap.add_argument("--rows", nargs=2, metavar=("X", "Y"),
                    help="compare allocator X with allocator Y within one run, e.g. "
                         "model-linux-4.12-owner model-linux-6.18-owner")
    ap.add_argument("--table", action="store_true",
                    help="always print this script's table (ns/op and the model's counters),"
                         " not Google Benchmark's compare.py")
    a = ap.parse_args(argv)
    if a.rows and len(a.runs) != 1:
        ap.error("--rows takes one run")
    if not a.rows and len(a.runs) != 2:
        ap.error("give two runs (A B), or one run and --rows X Y")
    paths = [json_path(p) for p in a.runs]

    if a.rows:
        x, y = a.rows
        rows = report.load(paths[0])["rows"]
        pairs = pairs_rows(rows, x, y)     # validates the names before anything runs
        heading = f"B = {y} against A = {x} in {a.runs[0]} (ratio B/A; below 1: B is faster)"
        labels = (x, y)
    else:
        pairs = pairs_runs(report.load(paths[0])["rows"], report.load(paths[1])["rows"])
        heading = f"B = {a.runs[1]} against A = {a.runs[0]} (ratio B/A; below 1: B is faster)"
        labels = ("A", "B")

    py = None if a.table else gbench_compare_available()
    if py:
        text, err = run_gbench_compare(py, paths[0], paths[-1] if not a.rows else None,
                                       rows=a.rows)
        if text is not None:
            print(f"# {heading}")
            print("# Google Benchmark's compare.py: Time/CPU are per iteration; negative = faster."
                  " scripts/compare --table shows ns per operation and the model's counters.\n")
            sys.stdout.write(text)
            unmatched = sum(1 for _, ra, rb in pairs if ra is None or rb is None)
            if unmatched:
                print(f"\n({unmatched} rows present on one side only are left out; --table lists them)")
            return 0
        print(f"compare: Google Benchmark's compare.py failed ({err.splitlines()[-1] if err else '?'});"
              " showing this script's table", file=sys.stderr)
    elif not a.table:
        print("compare: Google Benchmark's compare.py is not available (apt-get install"
              " libbenchmark-tools python3-scipy); showing this script's table", file=sys.stderr)
    print(textwrap.fill(f"# {heading}", WIDTH, subsequent_indent="# ") + "\n")
    sys.stdout.write(table(pairs, *labels))
    return 0


def main_checked(argv):
    try:
        return main(argv)
    except report.BadJSON as e:
        print(f"compare: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main_checked(sys.argv[1:]))
