"""scripts/lib/report.py: name parsing, repetitions folded to the median, ns/op, tables."""
import io
import json
import os
import tempfile
import unittest
from contextlib import redirect_stdout

from helpers import fixture
import report


def table_rows(md, first_cell):
    """The cells of the Markdown table lines whose first cell is first_cell."""
    out = []
    for line in md.splitlines():
        if line.startswith("| "):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if cells[0] == first_cell:
                out.append(cells)
    return out


class NameTest(unittest.TestCase):
    def test_model_row(self):
        r = report.Row("repeat/model-linux-4.12-owner/order:9/real_time/threads:2")
        self.assertEqual((r.workload, r.allocator, r.threads), ("repeat", "model-linux-4.12-owner", 2))
        self.assertEqual(r.params, {"order": "9"})
        self.assertFalse(r.is_peer)

    def test_peer_and_vcpu_rows(self):
        self.assertTrue(report.Row("repeat/glibc/order:0/real_time/threads:1").is_peer)
        r = report.Row("vcpu/model-linux-6.x/cpus:8")
        self.assertEqual((r.params, r.threads), ({"cpus": "8"}, 1))

    def test_google_benchmark_suffixes_are_not_parameters(self):
        r = report.Row("per-order/model-linux-4.12-owner/order:3/min_time:0.500/repeats:3")
        self.assertEqual(r.params, {"order": "3"})

    def test_key_without_allocator(self):
        a = report.Row("repeat/model-linux-4.12-owner/order:0/real_time/threads:2")
        b = report.Row("repeat/model-linux-6.x-owner/order:0/real_time/threads:2")
        self.assertEqual(a.key_without("allocator"), b.key_without("allocator"))


class LoadTest(unittest.TestCase):
    def setUp(self):
        self.run = report.load(fixture("small.json"))
        self.rows = {r.name: r for r in self.run["rows"]}

    def test_every_instance_is_one_row(self):
        # repeat 4 allocators x 3 threads, bulk 2 x 2, per-order 4, vcpu 2 x 4, slowpath 2, 1 error
        self.assertEqual(len(self.run["rows"]), 31)

    def test_ns_per_op_of_bulk_rows_comes_from_items_per_second(self):
        r = self.rows["bulk/model-linux-4.12-owner/order:0/real_time/threads:2"]
        self.assertAlmostEqual(r.ns_per_op, 120.0)
        self.assertAlmostEqual(r.items_per_iter, 4096.0)
        self.assertAlmostEqual(r.real_ns, 120.0 * 4096)

    def test_ns_per_op_of_single_operation_rows_is_real_time(self):
        r = self.rows["repeat/model-linux-4.12-owner/order:0/real_time/threads:2"]
        self.assertAlmostEqual(r.ns_per_op, 22.5)
        self.assertIsNone(r.items_per_iter)

    def test_error_rows(self):
        r = self.rows["repeat/model-linux-4.12-trylock/order:0/real_time/threads:1"]
        self.assertEqual(r.error, "consistency check failed")

    def test_time_units_are_scaled_to_ns(self):
        data = {"benchmarks": [{"name": "buddy/model-x/order:0", "run_type": "iteration",
                                "real_time": 1.5, "cpu_time": 1.25, "time_unit": "us"}]}
        r = report.rows_from(data)[0]
        self.assertAlmostEqual(r.real_ns, 1500.0)
        self.assertAlmostEqual(r.cpu_ns, 1250.0)


class RepetitionTest(unittest.TestCase):
    def test_median_aggregate_is_used(self):
        rows = {r.name: r for r in report.load(fixture("reps.json"))["rows"]}
        self.assertEqual(len(rows), 4)
        r = rows["repeat/model-linux-4.12-owner/order:0/real_time/threads:1"]
        self.assertEqual(r.reps, 3)
        self.assertAlmostEqual(r.real_ns, 26.116684411200016)     # the _median row, not the mean
        self.assertAlmostEqual(r.cv_pct, 5.7210487104187364)
        b = rows["bulk/model-linux-6.x-owner/order:0/real_time/threads:1"]
        self.assertAlmostEqual(b.ns_per_op, 1e9 / 35476932.967783935)

    def test_median_of_repetitions_without_aggregates(self):
        with open(fixture("reps.json")) as f:
            data = json.load(f)
        data["benchmarks"] = [b for b in data["benchmarks"] if b["run_type"] == "iteration"]
        rows = {r.name: r for r in report.rows_from(data)}
        r = rows["repeat/model-linux-4.12-owner/order:0/real_time/threads:1"]
        self.assertAlmostEqual(r.real_ns, 26.11668441120002)      # middle of 25.29, 28.23, 26.12
        self.assertEqual(r.reps, 3)
        self.assertIsNotNone(r.cv_pct)


class RenderTest(unittest.TestCase):
    def setUp(self):
        self.md = report.render(report.load(fixture("small.json")))

    def test_summary_by_threads(self):
        rows = table_rows(self.md, "repeat")
        glibc = [c for c in rows if c[2] == "glibc"][0]
        self.assertEqual(glibc, ["repeat", "order 0", "glibc", "24.0", "12.0", "6.0"])
        models = [c[2] for c in rows]
        self.assertLess(models.index("model-linux-6.x-owner"), models.index("glibc"))
        self.assertIn(["repeat", "order 0", "model-linux-4.12-trylock", "error", "", ""], rows)

    def test_summary_by_order(self):
        rows = table_rows(self.md, "per-order")
        self.assertEqual(rows, [["per-order", "model-linux-4.12-owner", "30.0", "50.0", "70.0", "90.0"]])

    def test_detail_tables_show_ns_per_op_and_counters(self):
        self.assertIn("## bulk", self.md)
        bulk = self.md.split("## bulk")[1].split("\n## ")[0]
        self.assertIn("| allocator | order | threads | ns/op | ops/iter | real ns/iter |", bulk)
        self.assertIn("| model-linux-4.12-owner | 0 | 2 | 120 | 4096 | 491,520 |", bulk)
        vcpu = self.md.split("## vcpu")[1].split("\n## ")[0]
        self.assertIn("stranded pages", vcpu)
        self.assertIn("| model-linux-4.12 | 8 | 1 | 48.0 |", vcpu)
        slow = self.md.split("## slowpath")[1].split("\n## ")[0]
        self.assertIn("slow path p99.9 ns", slow)
        self.assertIn("42000", slow)
        self.assertIn("error: consistency check failed", self.md)

    def test_repetition_columns(self):
        md = report.render(report.load(fixture("reps.json")))
        self.assertIn("| reps | cv % |", md)
        self.assertIn("the median of the repetitions is shown", md)

    def test_unknown_counters_are_shown(self):
        data = {"benchmarks": [{"name": "new/model-x/order:0", "run_type": "iteration",
                                "real_time": 10.0, "cpu_time": 10.0, "time_unit": "ns",
                                "brand_new_counter": 0.25}]}
        md = report.render({"context": {}, "rows": report.rows_from(data)})
        self.assertIn("brand_new_counter", md)
        self.assertIn("0.25", md)

    def test_plots_are_linked(self):
        with tempfile.TemporaryDirectory() as d:
            pd = os.path.join(d, "plots")
            os.makedirs(pd)
            with open(os.path.join(pd, "index.txt"), "w") as f:
                f.write("threads-repeat-order-0\trepeat: ns vs threads\nmissing\tnot drawn\n")
            open(os.path.join(pd, "threads-repeat-order-0.png"), "w").close()
            buf = io.StringIO()
            with redirect_stdout(buf):
                report.main([fixture("small.json"), "--plots", pd])
            out = buf.getvalue()
        self.assertIn("![repeat: ns vs threads](plots/threads-repeat-order-0.png)", out)
        self.assertIn("([SVG](plots/threads-repeat-order-0.svg))", out)
        self.assertNotIn("missing.png", out)


if __name__ == "__main__":
    unittest.main()
