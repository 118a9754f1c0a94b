"""scripts/lib/results_index.py: results/README.md from run folders."""
import os
import shutil
import tempfile
import unittest

from helpers import fixture
import results_index


class IndexTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        runs = os.path.join(self.dir, "runs")
        for name, src in (("2026-11-24T100000Z-vm", "reps.json"), ("2026-11-25T100000Z-vm", "small.json"),
                          ("2026-11-26T100000Z-vm-perf", "reps.json")):
            os.makedirs(os.path.join(runs, name, "plots"))
            shutil.copy(fixture(src), os.path.join(runs, name, "bench.json"))
            with open(os.path.join(runs, name, "machine.md"), "w") as f:
                f.write("| what | value |\n| --- | --- |\n| CPU | Test CPU 9000 |\n")
            open(os.path.join(runs, name, "results.md"), "w").close()
        perf = os.path.join(runs, "2026-11-26T100000Z-vm-perf")
        open(os.path.join(perf, "perf-report.txt"), "w").close()
        plots = os.path.join(runs, "2026-11-25T100000Z-vm", "plots")
        with open(os.path.join(plots, "index.txt"), "w") as f:
            f.write("vcpu-pcp-hit-rate\tpcp hit rate vs CPUs\n")
        open(os.path.join(plots, "vcpu-pcp-hit-rate.png"), "w").close()
        os.makedirs(os.path.join(runs, "not-a-run"))
        self.md = results_index.render(self.dir)

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_runs_are_listed_newest_first(self):
        i_perf = self.md.index("`2026-11-26T100000Z-vm-perf`")
        i_small = self.md.index("`2026-11-25T100000Z-vm`")
        i_reps = self.md.index("`2026-11-24T100000Z-vm`")
        self.assertLess(i_perf, i_small)
        self.assertLess(i_small, i_reps)
        self.assertNotIn("not-a-run", self.md)
        self.assertIn("| perf profile |", self.md)
        self.assertIn("[perf report](runs/2026-11-26T100000Z-vm-perf/perf-report.txt)", self.md)
        self.assertIn("2 × Test CPU 9000", self.md)

    def test_latest_benchmark_run_is_shown_with_plots(self):
        self.assertIn("## Latest run: `2026-11-25T100000Z-vm`", self.md)
        self.assertIn("![pcp hit rate vs CPUs](runs/2026-11-25T100000Z-vm/plots/vcpu-pcp-hit-rate.png)", self.md)
        self.assertIn("#### ns per operation by threads", self.md)

    def test_published_figures_are_labelled(self):
        self.assertIn("## Published figures (published, not measured here)", self.md)
        pub = self.md.split("## Published figures")[1]
        self.assertIn("| \"repeat\" (alloc+free one page), 1 → 24 threads | Linux 6.0, Xeon Gold 5320 2.2 GHz | ≈113 ns, flat |", pub)
        self.assertIn("246/300/328/357/516/801 cycles", pub)
        self.assertEqual(len([l for l in pub.splitlines() if l.startswith("| ")]), 11)

    def test_scale_table_converts_to_cycles(self):
        scale = self.md.split("## This run beside the kernel's figures")[1].split("## Published")[0]
        self.assertIn("≈ cycles at 2000 MHz", scale)
        self.assertIn("| per-order | model-linux-4.12-owner | order 0 | 1 | 30.0 | 60 |", scale)

    def test_empty_results_folder(self):
        with tempfile.TemporaryDirectory() as d:
            md = results_index.render(d)
        self.assertIn("No runs yet", md)
        self.assertIn("published, not measured here", md)


if __name__ == "__main__":
    unittest.main()
