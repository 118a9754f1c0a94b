"""Bad results files: scripts/compare, report.py and plot.py name the file and what is wrong
in one line and exit 2 (no traceback); a run with failed rows is reported, not a crash."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

from helpers import HERE, LIB, fixture

ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))


def run(argv):
    p = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT)
    return p.returncode, p.stdout, p.stderr


class BadFilesTest(unittest.TestCase):
    CASES = [
        # (contents, a part of the message)
        (b"not json at all\n", "not valid JSON (line 1 column 1"),
        (b"\x00\xff\xfe\x01binary", "not text (byte 1 is not UTF-8)"),
        (b"[1, 2, 3]", "the top level is a JSON list"),
        (b'{"benchmarks": "x"}', '"benchmarks" is not a list'),
        (b'{"context": {}}', '"benchmarks" is missing'),
        (b'[{"name": 5}]', "the top level is a JSON list"),
        (b'{"benchmarks": [{"name": 5}]}', "benchmark 0 has no name"),
        (b'{"benchmarks": [{"name": "x", "real_time": "fast"}]}', "benchmark 0 (x): real_time is not a number"),
        (b'{"benchmarks": [{"name": "x"', "a half-written file?"),
        (b"", "empty: not a Google Benchmark JSON file"),
    ]

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, data):
        path = os.path.join(self.tmp.name, "bad.json")
        with open(path, "wb") as f:
            f.write(data)
        return path

    def expect_refused(self, argv, tool, part):
        rc, out, err = run(argv)
        self.assertEqual(rc, 2, (argv, out, err))
        self.assertNotIn("Traceback", err)
        lines = [l for l in err.splitlines() if l.strip()]
        self.assertEqual(len(lines), 1, err)
        self.assertTrue(lines[0].startswith(tool + ": "), lines[0])
        self.assertIn(part, lines[0])

    def test_compare_either_side(self):
        good = fixture("small.json")
        for data, part in self.CASES:
            bad = self.write(data)
            with self.subTest(data=data[:20]):
                self.expect_refused(["scripts/compare", "--table", bad, good], "compare", part)
                self.expect_refused(["scripts/compare", "--table", good, bad], "compare", part)

    def test_compare_dev_null_and_a_folder_without_a_run(self):
        self.expect_refused(["scripts/compare", "--table", "/dev/null", fixture("small.json")], "compare",
                            "/dev/null: empty")
        self.expect_refused(["scripts/compare", "--table", self.tmp.name, fixture("small.json")], "compare",
                            "holds no bench.json")

    def test_report_and_plot(self):
        for data, part in self.CASES:
            bad = self.write(data)
            with self.subTest(data=data[:20]):
                self.expect_refused([sys.executable, os.path.join(LIB, "report.py"), bad], "report.py", part)
                self.expect_refused([sys.executable, os.path.join(LIB, "plot.py"), bad,
                                     os.path.join(self.tmp.name, "plots")], "plot.py", part)


class FailedRowsTest(unittest.TestCase):
    def test_failed_rows_are_reported_with_their_message(self):
        with open(fixture("small.json")) as f:
            doc = json.load(f)
        msg = "alloc_pages(order 0) failed: this machine cannot hold the workload"
        doc["benchmarks"].append({"name": "repeat/model-linux-4.12-owner/order:0/real_time/threads:1",
                                  "run_name": "repeat/model-linux-4.12-owner/order:0/real_time/threads:1",
                                  "run_type": "iteration", "error_occurred": True, "error_message": msg})
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "run.json")
            with open(path, "w") as f:
                json.dump(doc, f)
            rc, out, err = run([sys.executable, os.path.join(LIB, "report.py"), path])
            self.assertEqual(rc, 0, err)
            self.assertIn("error: " + msg, out)
            rc, out, err = run([sys.executable, os.path.join(LIB, "plot.py"), path, os.path.join(tmp, "plots")])
            self.assertNotIn("Traceback", err)


if __name__ == "__main__":
    unittest.main()
