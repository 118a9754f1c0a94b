#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Cost tables for the virtual-time simulator (scripts/calibrate runs this).

  calibrate.py host TIME_FILE COUNT_CMD OUT
      TIME_FILE: calibrate_time's output (this host's ns per op of each case, and the steps
      timed directly); COUNT_CMD: a command that, given a cost file, prints calibrate_count's
      step counts.  Fits the per-step costs (non-negative least squares, each case weighed
      by its own time so that a 7 ns case counts as much as a 2 us one), recounts with the
      fitted table (struct pages from memory depend on the clock), refits, writes OUT.

  calibrate.py derive HOST_COSTS SIMULATE OUT
      The table of LLFree's machine (Xeon Gold 5320, 2 x 26 cores, 2.2 GHz) from the host's
      and five single-thread figures of Linux 6.0 on it (LLFree, ATC'23): the host table's
      steps in five groups, each group scaled so that the 1-CPU simulation of that figure's
      workload gives it.  No figure at 2 or more threads is used.
"""
import json
import os
import subprocess
import sys
import tempfile

STEPS = ["alloc_call", "free_call", "watermark", "zonelist_zone", "pcp_alloc", "pcp_free", "refill_block",
         "drain_block", "buddy_del", "buddy_add", "buddy_test", "check_page", "zone_lock", "lock_handoff",
         "line_socket", "line_remote", "line_memory", "stat_fold", "slowpath", "reclaim_page", "compact_page",
         "zero_page"]
DIRECT = ["zone_lock", "lock_handoff", "line_socket", "stat_fold", "zero_page"]
FITTED = ["alloc_call", "free_call", "watermark", "zonelist_zone", "pcp_alloc", "pcp_free", "refill_block",
          "drain_block", "buddy_del", "buddy_add", "buddy_test", "check_page", "line_memory"]
# Steps that always come in fixed proportions in every case cannot be told apart by a fit; these
# pairs are tied (one unknown each): the API's entry and exit, a block onto and off a pcp list in
# the refill and the drain, a block onto and off a free_area list.
TIES = [["alloc_call", "free_call"], ["refill_block", "drain_block"], ["buddy_del", "buddy_add"]]
CACHE_WINDOW_NS = 50000.0


def write_table(path, header, values, notes, machine=None, topology=None):
    with open(path + ".tmp", "w") as f:
        f.write(header)
        if machine:
            f.write("machine = %s\n" % machine)
        if topology:
            f.write("topology = %s\n" % topology)
        f.write("\n# how long a struct page's line stays in a CPU's caches untouched\n")
        f.write("# %s\n" % notes["cache_window"])
        f.write("cache_window = %.3f\n" % values["cache_window"])
        for k in STEPS:
            f.write("\n# %s\n" % notes.get(k, ""))
            f.write("%s = %.3f\n" % (k, max(values[k], 0.0)))
    import os
    os.replace(path + ".tmp", path)


def nnls(rows, b, w, iters=20000):
    """min sum_i w_i (rows_i . x - b_i)^2, x >= 0, by cyclic coordinate descent."""
    n = len(rows[0])
    x = [0.0] * n
    h = [sum(w[i] * rows[i][j] ** 2 for i in range(len(rows))) for j in range(n)]
    r = [b[i] for i in range(len(rows))]           # residual b - A x
    for _ in range(iters):
        moved = 0.0
        for j in range(n):
            if h[j] == 0:
                continue
            g = sum(w[i] * rows[i][j] * r[i] for i in range(len(rows)))
            nx = max(0.0, x[j] + g / h[j])
            d = nx - x[j]
            if d:
                for i in range(len(rows)):
                    r[i] -= rows[i][j] * d
                x[j] = nx
                moved = max(moved, abs(d))
        if moved < 1e-9:
            break
    return x


def read_times(path):
    times, direct, dnotes = {}, {}, {}
    for line in open(path):
        p = line.split(None, 3)
        if not p:
            continue
        if p[0] == "time":
            times[p[1]] = float(p[2])
        elif p[0] == "direct":
            direct[p[1]] = float(p[2])
            dnotes[p[1]] = p[3].strip() if len(p) > 3 else ""
    return times, direct, dnotes


def counts_of(count_cmd, table_path):
    out = subprocess.run(count_cmd + [table_path], check=True, capture_output=True, text=True).stdout
    counts = {}
    for line in out.splitlines():
        p = line.split()
        if p and p[0] == "count":
            counts.setdefault(p[1], {})[p[2]] = float(p[3])
    return counts


def host(time_file, count_cmd, out):
    times, direct, dnotes = read_times(time_file)
    values = {k: 0.0 for k in STEPS}
    notes = {}
    for k in DIRECT:
        v = direct.get(k, -1)
        if v < 0:
            v = 0.0
            notes[k] = "not measurable on this host (%s): 0" % dnotes.get(k, "")
        else:
            notes[k] = "measured: %s" % dnotes.get(k, "")
        values[k] = v
    values["line_remote"] = 2.0 * values["line_socket"]
    notes["line_remote"] = ("not measurable on a one-socket host: twice line_socket (the usual ratio of a "
                            "cross-socket to an on-socket transfer)")
    values["cache_window"] = CACHE_WINDOW_NS
    notes["cache_window"] = "estimate: 50 us of work cycles a 1-2 MiB L2 and an LLC share (not measured)"
    values["slowpath"] = 10.0 * max(1.0, times.get("hit-0-alloc", 10.0))
    notes["slowpath"] = "estimate (no calibration case enters the slow path): ten order-0 pcp hits"
    values["reclaim_page"] = 50.0
    notes["reclaim_page"] = "estimate (no calibration case reclaims): 50 ns a page scanned"
    values["compact_page"] = 20.0
    notes["compact_page"] = "estimate (no calibration case compacts): 20 ns a page scanned"
    # start from a flat guess so the first count's clock moves
    for k in FITTED:
        values[k] = 5.0
    cases = sorted(times)
    for it in range(3):
        with tempfile.NamedTemporaryFile("w", suffix=".costs", delete=False) as t:
            tmp = t.name
        write_table(tmp, "", values, {k: "" for k in STEPS + ["cache_window"]})
        counts = counts_of(count_cmd, tmp)
        unknowns = [t for t in TIES] + [[k] for k in FITTED if not any(k in t for t in TIES)]
        rows, b, w = [], [], []
        for c in cases:
            cnt = counts.get(c, {})
            known = sum(cnt.get(k, 0.0) * values[k] for k in STEPS if k not in FITTED)
            rows.append([sum(cnt.get(k, 0.0) for k in u) for u in unknowns])
            b.append(times[c] - known)
            w.append(1.0 / times[c] ** 2)
        x = nnls(rows, b, w)
        for u, v in zip(unknowns, x):
            for k in u:
                values[k] = v
    fit = {c: sum(r * v for r, v in zip(rows[i], x)) + (times[c] - b[i]) for i, c in enumerate(cases)}
    worst = max(abs(fit[c] / times[c] - 1) for c in cases)
    for k in FITTED:
        tie = [t for t in TIES if k in t]
        notes[k] = ("fitted (non-negative least squares) to this host's times of %d one-thread cases "
                    "(vtime/calibrate.c, listed above)%s" % (len(cases), "; tied to " + [o for o in tie[0] if o != k][0]
                                                              + " (always taken together)" if tie else ""))
    header = ("# costs/host - this host's cost table for the virtual-time simulator, measured by scripts/calibrate.\n"
              "# The model's own steps, timed on one thread; see vtime/README.md.  Cases and fit:\n")
    for c in cases:
        header += "#   %-22s measured %9.1f ns/op, fitted %9.1f\n" % (c, times[c], fit[c])
    write_table(out, header, values, notes, machine="host")
    print("wrote %s (cases fitted within %.1f%%)" % (out, 100 * worst))


# --- the Xeon Gold 5320 table, from single-thread figures only --------------------------

LLFREE_1T = {  # Linux 6.0, Xeon Gold 5320, one thread (llfree-bench, LLFree ATC'23)
    "repeat": 112.0,      # order-0 alloc+free pair
    "bulk0_alloc": 94.0,
    "bulk0_free": 90.0,
    "bulk9_alloc": 2615.0,
    "rand0_free": 257.0,
}
# Five groups for five figures. The allocation's and the free's own work outside zone->lock are
# two groups; everything done under the lock (refill and drain alike: list and buddy work on
# struct pages) is one, so the split of the repeat pair between its halves follows from how
# bulk's allocation and free differ, not from the host's own ratio of the two.
GROUPS = {
    "alloc": ["alloc_call", "watermark", "zonelist_zone", "pcp_alloc"],
    "free": ["free_call", "pcp_free"],
    "locked": ["refill_block", "drain_block", "buddy_del", "buddy_add", "buddy_test", "zone_lock", "stat_fold"],
    "check": ["check_page"],
    "memory": ["line_memory"],
}
GROUP_OF_FIGURE = {"repeat": "alloc", "bulk0_alloc": "locked", "bulk0_free": "free", "bulk9_alloc": "check",
                   "rand0_free": "memory"}


def read_table(path):
    values = {}
    for line in open(path):
        line = line.split("#", 1)[0].strip()
        if "=" in line:
            k, v = [s.strip() for s in line.split("=", 1)]
            if k not in ("machine", "topology"):
                values[k] = float(v)
    return values


def figures(simulate, values):
    """The five 1-CPU figures of the simulation under the table `values` (linux-6.0, trylock)."""
    with tempfile.NamedTemporaryFile("w", suffix=".costs", delete=False) as t:
        tmp = t.name
    write_table(tmp, "", values, {k: "" for k in STEPS + ["cache_window"]}, topology="2x26")
    base = [simulate, "--costs", tmp, "--policy", "linux-6.0", "--scheme", "trylock", "--cpus", "1", "--json",
            "--mem", "128G"]

    def run(*extra):
        out = subprocess.run(base + list(extra), check=True, capture_output=True, text=True).stdout
        return json.loads(out)[0]
    rep = run("--workload", "repeat")
    b0 = run("--workload", "bulk")
    b9 = run("--workload", "bulk", "--order", "9")
    r0 = run("--workload", "rand")
    return {"repeat": rep["alloc_ns"] + rep["free_ns"], "bulk0_alloc": b0["alloc_ns"], "bulk0_free": b0["free_ns"],
            "bulk9_alloc": b9["alloc_ns"], "rand0_free": r0["free_ns"]}


def solve(a, y):
    n = len(y)
    m = [row[:] + [y[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        if abs(m[c][c]) < 1e-12:
            raise SystemExit("calibrate: the five figures do not pin the five groups down (singular system)")
        for r in range(n):
            if r != c:
                f = m[r][c] / m[c][c]
                m[r] = [x - f * z for x, z in zip(m[r], m[c])]
    return [m[i][n] / m[i][i] for i in range(n)]


def derive(host_costs, simulate, out):
    hostv = read_table(host_costs)
    figs = list(LLFREE_1T)
    groups = list(GROUPS)
    scale = {g: 1.0 for g in groups}

    def table(sc):
        v = dict(hostv)
        for g in groups:
            for k in GROUPS[g]:
                v[k] = hostv[k] * sc[g]
        # the topology's, not fitted: Ice Lake-SP mesh core-to-core transfers
        v["line_socket"] = 50.0
        v["line_remote"] = 120.0
        v["lock_handoff"] = 50.0
        return v
    for _ in range(4):
        base = figures(simulate, table(scale))
        cols = []
        for g in groups:
            bumped = dict(scale)
            bumped[g] = scale[g] * 2
            f2 = figures(simulate, table(bumped))
            cols.append([(f2[f] - base[f]) / scale[g] for f in figs])     # d figure / d scale
        a = [[cols[j][i] for j in range(len(groups))] for i in range(len(figs))]
        # figure = base + sum_g a * (s_g' - s_g): solve for s'
        y = [LLFREE_1T[f] - base[f] + sum(a[i][j] * scale[groups[j]] for j in range(len(groups)))
             for i, f in enumerate(figs)]
        s = solve(a, y)
        if min(s) <= 0:
            raise SystemExit("calibrate: a group came out non-positive (%s): the host table cannot be scaled to "
                             "these figures" % dict(zip(groups, s)))
        scale = dict(zip(groups, s))
    v = table(scale)
    got = figures(simulate, v)
    notes = {}
    for g in groups:
        for k in GROUPS[g]:
            notes[k] = ("host's %.3f ns x %.3f: the '%s' group (%s); the five groups' scales are the one "
                        "solution that makes one CPU give LLFree's five one-thread figures" %
                        (hostv[k], scale[g], g, ", ".join(GROUPS[g])))
    notes["line_socket"] = ("topology: a line between two cores of one Ice Lake-SP socket over its mesh; published "
                            "core-to-core latencies of these parts are 45-60 ns (assumed 50, not fitted)")
    notes["line_remote"] = ("topology: a line from the other socket over UPI; published figures are 110-140 ns "
                            "(assumed 120, not fitted)")
    notes["lock_handoff"] = ("topology: the MCS hand-off moves the lock word and the next waiter's node, one "
                             "on-socket transfer: line_socket")
    for k in ("slowpath", "reclaim_page", "compact_page", "zero_page", "cache_window"):
        notes[k] = "host's value, unscaled (the validation's workloads do not reach this step)"
    header = ("# costs/xeon-gold-5320 - LLFree's machine (Intel Xeon Gold 5320: 2 sockets x 26 cores, 2.2 GHz, HT off)\n"
              "# for the virtual-time simulator, derived by `scripts/calibrate --derive xeon-gold-5320 --from costs/%s`\n"
              "# (that host's measured table) and five one-thread figures of Linux 6.0 on that machine (llfree-bench; LLFree, USENIX ATC '23). No figure\n"
              "# at two or more threads went into it: those are what the simulator predicts (results/llfree-validation).\n"
              "# One CPU of the simulation (linux-6.0, trylock) under this table gives:\n") % os.path.basename(host_costs)
    for f in figs:
        header += "#   %-12s kernel %7.0f ns, simulated %9.1f\n" % (f, LLFREE_1T[f], got[f])
    write_table(out, header, v, notes, machine="xeon-gold-5320", topology="2x26")
    print("wrote %s: %s" % (out, ", ".join("%s %.1f" % (f, got[f]) for f in figs)))


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "host":
        host(sys.argv[2], sys.argv[3].split(), sys.argv[4])
    elif len(sys.argv) == 5 and sys.argv[1] == "derive":
        derive(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)
