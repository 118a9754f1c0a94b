"""scripts/lib/plot.py: which plots a run supports, their data, and gnuplot's PNG and SVG."""
import io
import os
import shutil
import tempfile
import unittest
from contextlib import redirect_stderr

from helpers import fixture
import plot
import report

GNUPLOT = shutil.which("gnuplot")


class PlanTest(unittest.TestCase):
    def setUp(self):
        self.plots = {p.stem: p for p in plot.plan(report.load(fixture("small.json")))}

    def test_every_kind_of_plot_is_planned(self):
        self.assertEqual(sorted(self.plots), sorted([
            "threads-repeat-order-0", "threads-bulk-order-0", "cpus-vcpu", "order-per-order",
            "vcpu-pcp-hit-rate", "vcpu-stranded-pages", "slowpath-slowpath"]))

    def test_threads_plot_has_one_line_per_allocator_peers_dashed(self):
        p = self.plots["threads-repeat-order-0"]
        labels = [s[0] for s in p.series]
        # the error row of model-linux-4.12-trylock draws no line
        self.assertEqual(labels, ["model-linux-4.12-owner", "model-linux-6.x-owner", "glibc", "jemalloc"])
        self.assertEqual([s[2] for s in p.series], [False, False, True, True])
        self.assertEqual(p.series[2][1], [(1, 24.0), (2, 12.0), (4, 6.0)])
        self.assertEqual([x for _, x in p.xtics], [1, 2, 4])

    def test_bulk_is_plotted_per_operation(self):
        p = self.plots["threads-bulk-order-0"]
        self.assertEqual(p.series[0][1], [(1, 60.0), (2, 120.0)])

    def test_hit_rate_against_cpus(self):
        p = self.plots["vcpu-pcp-hit-rate"]
        self.assertEqual([s[0] for s in p.series], ["model-linux-4.12", "model-linux-6.x"])
        self.assertEqual(p.series[0][1], [(1, 1.0), (2, 0.98), (4, 0.9), (8, 0.7)])
        self.assertEqual(self.plots["vcpu-stranded-pages"].series[1][1][-1], (8, 372.0))

    def test_stranded_pages_log_log_hit_rate_linear(self):
        # linear growth in CPUs must look linear: log x (the CPU counts) and log y
        stranded = plot.gp_block(self.plots["vcpu-stranded-pages"], "png")
        self.assertIn("set logscale y", stranded)
        hit = plot.gp_block(self.plots["vcpu-pcp-hit-rate"], "png")
        self.assertNotIn("set logscale y", hit)
        self.assertIn("set yrange [0:1.05]", hit)

    def test_slowpath_percentiles(self):
        p = self.plots["slowpath-slowpath"]
        self.assertEqual([l for l, _ in p.xtics], ["p50", "p99", "p99.9"])
        self.assertEqual(p.series[0][1], [(0, 800.0), (1, 5000.0), (2, 42000.0)])
        self.assertTrue(p.logy)

    def test_percentile_names(self):
        self.assertEqual(plot.percentile_of("slowpath_p50_ns"), 50.0)
        self.assertEqual(plot.percentile_of("slowpath_p999_ns"), 99.9)
        self.assertEqual(plot.percentile_of("slowpath_p9999_ns"), 99.99)
        self.assertIsNone(plot.percentile_of("pcp_hit_rate"))

    def test_absent_rows_make_no_plots(self):
        plots = {p.stem for p in plot.plan(report.load(fixture("reps.json")))}
        self.assertEqual(plots, {"threads-repeat-order-0", "threads-bulk-order-0"})


class ScriptTest(unittest.TestCase):
    def test_wide_x_ranges_use_a_log2_axis(self):
        p = plot.Plot("vcpu-pcp-hit-rate", "t", "CPUs", "rate")
        p.add("model-linux-4.12", [(n, 1.0 / n) for n in (1, 4, 16, 64, 256)])
        p.xtics = [(str(n), n) for n in (1, 4, 16, 64, 256)]
        gp = plot.gp_block(p, "pngcairo")
        self.assertIn("set logscale x 2", gp)
        self.assertIn("set logscale y", gp)          # 1 to 1/256: more than 30x
        p.xtics = p.xtics[:2]
        self.assertNotIn("set logscale x", plot.gp_block(p, "png"))

    def test_labels_are_quoted_for_gnuplot(self):
        p = plot.Plot("x", 'a "quoted" title', "threads", "ns")
        p.add("glibc", [(1, 2.0)], dashed=True)
        gp = plot.gp_block(p, "png")
        self.assertIn('set title "a \\"quoted\\" title" noenhanced', gp)
        self.assertIn("dt 2 title \"glibc\"", gp)
        self.assertIn("set terminal png size", gp)
        self.assertNotIn("font", gp.split("set terminal png")[1].splitlines()[0])


class MakeTest(unittest.TestCase):
    def test_data_and_script_are_written_without_gnuplot(self):
        with tempfile.TemporaryDirectory() as d:
            err = io.StringIO()
            with redirect_stderr(err):
                made = plot.make(fixture("small.json"), d, gnuplot="")
            self.assertEqual(made, [])
            self.assertIn("apt-get install gnuplot-nox", err.getvalue())
            with open(os.path.join(d, "threads-repeat-order-0.dat")) as f:
                dat = f.read()
            self.assertIn("# [2] glibc\n1 24\n2 12\n4 6\n", dat)
            with open(os.path.join(d, "plots.gp")) as f:
                gp = f.read()
            self.assertIn("set terminal svg", gp)
            self.assertIn('set output "vcpu-pcp-hit-rate.png"', gp)
            with open(os.path.join(d, "index.txt")) as f:
                self.assertEqual(len(f.read().splitlines()), 7)

    @unittest.skipUnless(GNUPLOT, "gnuplot is not installed (apt-get install gnuplot-nox)")
    def test_png_and_svg_are_drawn(self):
        with tempfile.TemporaryDirectory() as d:
            made = plot.make(fixture("small.json"), d)
            self.assertEqual(len(made), 7)
            for stem, _ in made:
                png = os.path.join(d, stem + ".png")
                svg = os.path.join(d, stem + ".svg")
                self.assertGreater(os.path.getsize(png), 1000, png)
                self.assertGreater(os.path.getsize(svg), 1000, svg)
                with open(png, "rb") as f:
                    self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
                with open(svg) as f:
                    self.assertIn("<svg", f.read())

    @unittest.skipUnless(GNUPLOT, "gnuplot is not installed (apt-get install gnuplot-nox)")
    def test_png_terminal_is_found(self):
        self.assertIn(plot.png_terminal(GNUPLOT), ("pngcairo", "png"))


if __name__ == "__main__":
    unittest.main()
