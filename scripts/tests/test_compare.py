"""scripts/lib/compare.py: matching rows of two runs or two allocators, and its own table."""
import io
import json
import os
import tempfile
import unittest
from contextlib import redirect_stderr, redirect_stdout

from helpers import fixture
import compare
import report


def cells_of(md, name):
    for line in md.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] == name:
            return cells
    return None


class RowsModeTest(unittest.TestCase):
    def setUp(self):
        self.rows = report.load(fixture("small.json"))["rows"]

    def test_allocators_are_matched_by_the_rest_of_the_name(self):
        pairs = compare.pairs_rows(self.rows, "model-linux-4.12-owner", "model-linux-6.x-owner")
        both = [n for n, a, b in pairs if a and b]
        self.assertIn("repeat/*/order:0/threads:2", both)
        self.assertIn("slowpath/*/order:0/threads:1", both)
        only_x = [n for n, a, b in pairs if b is None]
        self.assertEqual(len(only_x), 4)          # per-order runs only the first allocator

    def test_table(self):
        pairs = compare.pairs_rows(self.rows, "model-linux-4.12-owner", "model-linux-6.x-owner")
        md = compare.table(pairs, "model-linux-4.12-owner", "model-linux-6.x-owner")
        self.assertIn("| name | A ns/op | B ns/op | B/A |", md)
        self.assertEqual(cells_of(md, "repeat/*/order:0/threads:1")[:4], ["repeat/*/order:0/threads:1", "45.0", "51.0", "1.13"])
        slow = cells_of(md, "slowpath/*/order:0/threads:1")
        self.assertEqual(slow[3], "0.70")
        self.assertIn("800.0 → 560.0", slow)
        # counters equal on every row are left out; those that do not fit follow as lines
        self.assertNotIn("hit", md.splitlines()[0])
        self.assertIn("| slowpath/*/order:0/threads:1 | slowpath_p999_ns | 42,000 | 29,400 |", md)
        self.assertIn("only in model-linux-4.12-owner (4 rows)", md)
        self.assertLessEqual(max(len(l) for l in md.splitlines()), compare.WIDTH)

    def test_peer_against_model(self):
        pairs = compare.pairs_rows(self.rows, "model-linux-4.12-owner", "glibc")
        md = compare.table(pairs)
        self.assertEqual(cells_of(md, "repeat/*/order:0/threads:4")[1:4], ["11.2", "6.0", "0.53"])

    def test_unknown_allocator_is_one_clear_error(self):
        with self.assertRaises(SystemExit) as cm:
            compare.pairs_rows(self.rows, "model-linux-4.12-owner", "nosuch")
        self.assertIn("no rows for allocator 'nosuch'", str(cm.exception))
        self.assertIn("glibc", str(cm.exception))


class RunsModeTest(unittest.TestCase):
    def test_two_runs(self):
        a = report.load(fixture("small.json"))["rows"]
        with open(fixture("small.json")) as f:
            data = json.load(f)
        for b in data["benchmarks"]:
            if b["name"].startswith("bulk/"):
                b["items_per_second"] /= 2          # B is twice as slow per page
                b["pcp_hit_rate"] = 0.5
        bb = report.rows_from(data)
        md = compare.table(compare.pairs_runs(a, bb))
        cells = cells_of(md, "bulk/model-linux-4.12-owner/order:0/real_time/threads:1")
        self.assertEqual(cells[1:4], ["60.0", "120", "2.00"])
        self.assertIn("0.969 → 0.5", cells)
        same = cells_of(md, "repeat/glibc/order:0/real_time/threads:1")
        self.assertEqual(same[3], "1.00")

    def test_main_with_folders_and_own_table(self):
        with tempfile.TemporaryDirectory() as d:
            ra, rb = os.path.join(d, "a"), os.path.join(d, "b")
            for r in (ra, rb):
                os.makedirs(r)
                with open(fixture("small.json")) as src, open(os.path.join(r, "bench.json"), "w") as dst:
                    dst.write(src.read())
            out = io.StringIO()
            with redirect_stdout(out):
                self.assertEqual(compare.main(["--table", ra, rb]), 0)
        self.assertIn("B = ", out.getvalue())
        self.assertEqual(cells_of(out.getvalue(), "per-order/model-linux-4.12-owner/order:2")[3], "1.00")

    def test_folder_without_json(self):
        err = io.StringIO()
        with tempfile.TemporaryDirectory() as d:
            with self.assertRaises(SystemExit) as cm, redirect_stderr(err):
                compare.json_path(d)
        self.assertEqual(cm.exception.code, 2)
        self.assertIn("no bench.json", err.getvalue())

    @unittest.skipUnless(compare.gbench_compare_available(),
                         "Google Benchmark's compare.py is not installed (libbenchmark-tools, python3-scipy)")
    def test_google_benchmark_compare_rows_mode(self):
        out = io.StringIO()
        with redirect_stdout(out), redirect_stderr(io.StringIO()):
            compare.main([fixture("small.json"), "--rows", "model-linux-4.12-owner", "model-linux-6.x-owner"])
        text = out.getvalue()
        self.assertIn("Google Benchmark's compare.py", text)
        self.assertRegex(text, r"repeat/\*/order:0/real_time/threads:1 +\+0\.1333")


if __name__ == "__main__":
    unittest.main()
