"""scripts/lib/flamegraph.py: folding perf script call chains, the kernel names, the SVG."""
import io
import unittest
import xml.dom.minidom

from helpers import fixture
import flamegraph


class FoldTest(unittest.TestCase):
    def setUp(self):
        with open(fixture("perf-script.txt")) as f:
            self.stacks = flamegraph.fold(f)

    def test_stacks_run_root_to_leaf_with_clone_suffixes_gone(self):
        self.assertEqual(self.stacks, {
            "bm_bulk;get_page_from_freelist;rmqueue_pcplist;rmqueue_bulk": 2,
            "bm_bulk;free_pcppages_bulk;__free_one_page": 1,
        })

    def test_top_self_and_total(self):
        top = flamegraph.top(self.stacks, 3)
        self.assertEqual(top[0][0], "rmqueue_bulk")
        self.assertAlmostEqual(top[0][1], 2 / 3)
        self.assertEqual(dict((f, t) for f, _, t in flamegraph.top(self.stacks, 10))["bm_bulk"], 1.0)

    def test_svg_is_well_formed_and_names_frames(self):
        doc = xml.dom.minidom.parseString(flamegraph.svg(self.stacks, "t <&>"))
        titles = [t.firstChild.data for t in doc.getElementsByTagName("title")]
        self.assertTrue(any(t.startswith("rmqueue_bulk (2 samples") for t in titles), titles)

    def test_clean(self):
        self.assertEqual(flamegraph.clean("rmqueue_bulk.constprop.0.isra.0+0x10"), "rmqueue_bulk")
        self.assertEqual(flamegraph.clean("__free_one_page.cold"), "__free_one_page")
        self.assertEqual(flamegraph.clean(""), "[unknown]")


if __name__ == "__main__":
    unittest.main()
