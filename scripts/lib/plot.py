#!/usr/bin/env python3
"""Plots of a pagealloc_bench JSON run with gnuplot: PNG and SVG of each.

    plot.py RUN.json OUTDIR

Writes into OUTDIR one .dat file per plot, plots.gp (the gnuplot script that draws them
all; rerun it with `cd OUTDIR && gnuplot plots.gp`), index.txt (one line per plot:
file stem TAB title) and, when gnuplot is installed, STEM.png and STEM.svg:

  threads-WORKLOAD[-PARAMS]  ns/op versus threads, one line per allocator (peers such as
                             glibc or jemalloc, any allocator not named model-*, dashed)
  cpus-WORKLOAD[-PARAMS]     the same against a cpus:N parameter
  vtime-ns-per-op-WORKLOAD   virtual ns/op versus simulated CPUs (rows vtime-WORKLOAD/...)
  vtime-zone-lock-share-WORKLOAD  zone_lock_share versus simulated CPUs
  order-WORKLOAD             ns/op versus order, for workloads that run one thread count
  vcpu-pcp-hit-rate          pcp_hit_rate versus CPUs (rows WORKLOAD/ALLOCATOR/cpus:N)
  vcpu-stranded-pages        stranded_pages versus CPUs
  slowpath-WORKLOAD          slow-path latency percentiles (slowpath_pNN_ns counters)

Plots whose rows are absent are skipped silently. PNG uses gnuplot's pngcairo terminal
where it exists (Debian 12's gnuplot-nox has it) and its libgd png terminal otherwise.
Python 3 standard library only.
"""
import os
import re
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True     # no __pycache__ beside the scripts
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import report  # noqa: E402

WIDTH, HEIGHT = 960, 560
X_KEYS = ("threads", "cpus")


class Plot:
    def __init__(self, stem, title, xlabel, ylabel):
        self.stem = stem
        self.title = title
        self.xlabel = xlabel
        self.ylabel = ylabel
        self.series = []        # (label, [(x, y)], dashed)
        self.xtics = None       # [(label, x)] or None for automatic
        self.logy = None        # None: decide from the data
        self.yrange = None      # "[0:1.05]" etc.

    def add(self, label, points, dashed=False):
        pts = sorted((x, y) for x, y in points if y is not None)
        if pts:
            self.series.append((label, pts, dashed))

    def values(self):
        return [y for _, pts, _ in self.series for _, y in pts]


def slug(s):
    return re.sub(r"[^A-Za-z0-9.]+", "-", s).strip("-") or "x"


def percentile_of(key):
    """slowpath_p999_ns -> 99.9, slowpath_p50_ns -> 50.0, slowpath_max_ns -> 100.0."""
    m = re.fullmatch(r"slowpath_p(\d+)_ns", key)
    if m:
        d = m.group(1)
        if len(d) > 2 and d.startswith("99"):
            return float("99." + d[2:])
        return float(d)
    if key == "slowpath_max_ns":
        return 100.0
    return None


def percentile_label(p):
    return "max" if p == 100.0 else "p" + (f"{p:g}")


def _allocator_order(rows):
    return report.sort_allocators(list(dict.fromkeys(r.allocator for r in rows)))


def plan(run):
    """The plots a run's rows support, in a stable order."""
    rows = [r for r in run["rows"] if not r.error]
    plots = []
    wl = report.by_workload(rows)

    # virtual time: ns/op and zone_lock_share against simulated CPUs, per workload
    for w, rs in wl.items():
        if not w.startswith("vtime-"):
            continue
        for key, stem, ylabel in (("virtual_ns_per_op", "vtime-ns-per-op", "virtual ns per operation"),
                                  ("zone_lock_share", "vtime-zone-lock-share",
                                   "zone_lock_share (virtual time queued for zone->lock / busy)")):
            have = [r for r in rs if key in r.counters and r.params.get("cpus", "").isdigit()]
            if not have:
                continue
            pl = Plot(f"{stem}-{slug(w[6:])}", f"{w[6:]} in virtual time: {ylabel.split(' (')[0]} vs CPUs",
                      "simulated CPUs", ylabel)
            for a in _allocator_order(have):
                pl.add(a, [(int(r.params["cpus"]), r.counters[key]) for r in have if r.allocator == a])
            pl.xtics = [(str(x), x) for x in sorted({int(r.params["cpus"]) for r in have})]
            pl.logy = key == "virtual_ns_per_op"
            if key == "zone_lock_share":
                pl.yrange = "[0:1.05]"
            plots.append(pl)

    # ns/op against threads (or cpus), per workload and parameter set (real time: not vtime's)
    for w, rs in wl.items():
        if w.startswith("vtime-"):
            continue
        for xkey in X_KEYS:
            xs_of = (lambda r: r.threads) if xkey == "threads" else \
                (lambda r: int(r.params[xkey]) if r.params.get(xkey, "").isdigit() else None)
            if len({xs_of(r) for r in rs} - {None}) < 2:
                continue
            groups = {}
            for r in rs:
                if xs_of(r) is None:
                    continue
                groups.setdefault(r.param_str(skip=(xkey,)), []).append(r)
            for p, grs in groups.items():
                stem = f"{xkey}-{slug(w)}" + (f"-{slug(p)}" if p else "")
                pl = Plot(stem, f"{w}{' (' + p + ')' if p else ''}: ns per operation vs {xkey}",
                          xkey, "ns per alloc+free (real time / op)")
                for a in _allocator_order(grs):
                    pl.add(a, [(xs_of(r), r.ns_per_op) for r in grs if r.allocator == a],
                           dashed=not a.startswith("model-"))
                xs = sorted({xs_of(r) for r in grs})
                pl.xtics = [(str(x), x) for x in xs]
                if pl.series:
                    plots.append(pl)

    # ns/op against order for single-thread-count workloads
    for w, rs in wl.items():
        if len({r.threads for r in rs}) > 1 or any(k in r.params for r in rs for k in X_KEYS[1:]):
            continue
        orders = {int(r.order) for r in rs if r.order.isdigit()}
        if len(orders) < 2:
            continue
        pl = Plot(f"order-{slug(w)}", f"{w}: ns per operation vs order", "order",
                  "ns per alloc+free (real time / op)")
        for a in _allocator_order(rs):
            pl.add(a, [(int(r.order), r.ns_per_op) for r in rs if r.allocator == a and r.order.isdigit()],
                   dashed=not a.startswith("model-"))
        pl.xtics = [(str(o), o) for o in sorted(orders)]
        plots.append(pl)

    # pcp hit rate and stranded pages against CPUs
    vrows = [r for r in rows if r.params.get("cpus", "").isdigit()]
    for key, stem, ylabel in (("pcp_hit_rate", "vcpu-pcp-hit-rate", "pcp hit rate"),
                              ("stranded_pages", "vcpu-stranded-pages", "stranded pages (on pcp lists of idle CPUs)")):
        have = [r for r in vrows if key in r.counters]
        if not have:
            continue
        pl = Plot(stem, f"{ylabel.split(' (')[0]} vs CPUs", "CPUs", ylabel)
        groups = {}
        for r in have:
            extra = r.param_str(skip=("cpus",))
            label = r.allocator if r.workload == "vcpu" else f"{r.workload} {r.allocator}"
            if extra:
                label += f" ({extra})"
            if r.threads > 1:
                label += f" {r.threads} thr"
            groups.setdefault(label, []).append(r)
        for label, grs in groups.items():
            pl.add(label, [(int(r.params["cpus"]), r.counters[key]) for r in grs],
                   dashed=grs[0].is_peer)
        pl.xtics = [(str(x), x) for x in sorted({int(r.params["cpus"]) for r in have})]
        # stranded pages grow with CPUs: log-log, so linear growth is a straight line (on a
        # log x with a linear y it looks exponential); the hit rate is a fraction, linear
        pl.logy = key == "stranded_pages"
        if key == "pcp_hit_rate":
            pl.yrange = "[0:1.05]"
        plots.append(pl)

    # slow-path latency percentiles
    for w, rs in wl.items():
        have = [r for r in rs if any(percentile_of(k) is not None for k in r.counters)]
        if not have:
            continue
        pcts = sorted({percentile_of(k) for r in have for k in r.counters} - {None})
        pos = {p: i for i, p in enumerate(pcts)}
        pl = Plot(f"slowpath-{slug(w)}", f"{w}: slow-path latency percentiles", "percentile",
                  "ns (log scale)")
        for r in have:
            label = " ".join(x for x in (r.allocator, r.param_str(), f"{r.threads} thr" if r.threads > 1 else "") if x)
            pts = [(pos[percentile_of(k)], v) for k, v in r.counters.items()
                   if percentile_of(k) is not None and v and v > 0]
            pl.add(label, pts, dashed=r.is_peer)
        pl.xtics = [(percentile_label(p), i) for p, i in pos.items()]
        pl.logy = True
        if pl.series:
            plots.append(pl)
    return plots


def write_dat(pl, outdir):
    path = os.path.join(outdir, pl.stem + ".dat")
    with open(path, "w") as f:
        f.write(f"# {pl.title}\n# columns: {pl.xlabel} value; one block per line of the plot\n")
        for i, (label, pts, _) in enumerate(pl.series):
            if i:
                f.write("\n\n")
            f.write(f"# [{i}] {label}\n")
            for x, y in pts:
                f.write(f"{x} {y:.6g}\n")
    return path


def gp_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def gp_block(pl, png_term):
    vals = [v for v in pl.values() if v > 0]
    logy = pl.logy
    if logy is None:
        logy = bool(vals) and min(vals) > 0 and max(vals) / min(vals) > 30
    lines = ["reset", f"set title {gp_str(pl.title)} noenhanced",
             f"set xlabel {gp_str(pl.xlabel)}", f"set ylabel {gp_str(pl.ylabel)}",
             "set grid", "set key below horizontal height 1.5 noenhanced", "set border 3",
             "set tics nomirror"]
    if pl.xtics:
        xs = [x for _, x in pl.xtics]
        if min(xs) > 0 and max(xs) / min(xs) >= 16:
            # threads or CPUs from 1 to 256: powers of two spread evenly
            lines.append("set logscale x 2")
            lines.append(f"set xrange [{min(xs) / 1.25:g}:{max(xs) * 1.25:g}]")
        else:
            pad = max(0.3, (max(xs) - min(xs)) * 0.05)
            lines.append(f"set xrange [{min(xs) - pad:g}:{max(xs) + pad:g}]")
        lines.append("set xtics (" + ", ".join(f"{gp_str(l)} {x}" for l, x in pl.xtics) + ")")
    if logy:
        lines.append("set logscale y")
    elif pl.yrange:
        lines.append(f"set yrange {pl.yrange}")
    else:
        lines.append("set yrange [0:*]")
    plot = []
    for i, (label, _, dashed) in enumerate(pl.series):
        style = f"with linespoints lw 2 pt {5 + (i % 5)} ps 1 lc {i + 1}"
        if dashed:
            style += " dt 2"
        plot.append(f"{gp_str(pl.stem + '.dat')} index {i} using 1:2 {style} title {gp_str(label)}")
    fonts = ' font "sans,10"' if png_term == "pngcairo" else ""
    lines.append(f"set terminal {png_term} size {WIDTH},{HEIGHT} noenhanced{fonts}")
    lines.append(f"set output {gp_str(pl.stem + '.png')}")
    lines.append("plot " + ", \\\n     ".join(plot))
    lines.append(f'set terminal svg size {WIDTH},{HEIGHT} noenhanced dynamic font "sans,10"')
    lines.append(f"set output {gp_str(pl.stem + '.svg')}")
    lines.append("replot")
    lines.append("unset output")
    return "\n".join(lines) + "\n"


def png_terminal(gnuplot):
    """pngcairo where this gnuplot has it, else png (libgd); None when neither works."""
    for term in ("pngcairo", "png"):
        r = subprocess.run([gnuplot, "-e", f"set terminal {term}"], capture_output=True, text=True)
        if r.returncode == 0 and not r.stderr.strip():
            return term
    return None


def make(json_path, outdir, gnuplot=None):
    """Write the data, the script and (with gnuplot) the images. Returns [(stem, title)]."""
    run = report.load(json_path)
    plots = plan(run)
    os.makedirs(outdir, exist_ok=True)
    if gnuplot is None:
        gnuplot = shutil.which("gnuplot")
    term = png_terminal(gnuplot) if gnuplot else None
    script = ["# gnuplot script written by scripts/lib/plot.py; run it inside this folder\n"]
    for pl in plots:
        write_dat(pl, outdir)
        script.append(gp_block(pl, term or "pngcairo"))
    with open(os.path.join(outdir, "plots.gp"), "w") as f:
        f.write("\n".join(script))
    with open(os.path.join(outdir, "index.txt"), "w") as f:
        for pl in plots:
            f.write(f"{pl.stem}\t{pl.title}\n")
    if not plots:
        return []
    if not gnuplot:
        print("plot.py: gnuplot is not installed (apt-get install gnuplot-nox): wrote the data"
              f" and {os.path.join(outdir, 'plots.gp')} only", file=sys.stderr)
        return []
    if not term:
        print("plot.py: this gnuplot has neither the pngcairo nor the png terminal", file=sys.stderr)
        return []
    r = subprocess.run([gnuplot, "plots.gp"], cwd=outdir, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"gnuplot failed on {outdir}/plots.gp:\n{r.stderr.strip()}")
    return [(pl.stem, pl.title) for pl in plots]


def main(argv):
    if len(argv) != 2:
        report.fail("plot.py", "usage: plot.py RUN.json OUTDIR")
    try:
        made = make(argv[0], argv[1])
    except (RuntimeError, report.BadJSON) as e:
        report.fail("plot.py", e)
    for stem, _ in made:
        print(os.path.join(argv[1], stem + ".png"))


if __name__ == "__main__":
    main(sys.argv[1:])
