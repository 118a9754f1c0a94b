"""scripts/lib/perf_events.py: the events scripts/perf-profile uses, from a probe's output."""
import unittest

from helpers import read_fixture
import perf_events as pe

SOFTWARE = ["task-clock", "context-switches", "cpu-migrations", "page-faults"]


class DecideTest(unittest.TestCase):
    def test_vm_without_pmu_falls_back_to_software_events(self):
        for name in ("perf-stat-vm.txt", "perf-stat-vm-user.txt"):
            out = read_fixture(name)
            self.assertIn("<not supported>", out)
            self.assertEqual(pe.decide(out), SOFTWARE, name)
            self.assertEqual(pe.record_event(out), "cpu-clock", name)
            self.assertIn("not supported", pe.why(out))
            self.assertIsNone(pe.error(out), name)

    def test_hardware_counters_are_used_when_counted(self):
        out = read_fixture("perf-stat-hardware.txt")
        self.assertEqual(pe.decide(out), ["cycles", "instructions", "cache-misses"] + SOFTWARE)
        self.assertEqual(pe.record_event(out), "cycles")
        self.assertIsNone(pe.error(out))

    def test_partly_supported(self):
        out = read_fixture("perf-stat-partial.txt")
        self.assertEqual(pe.decide(out), ["cycles", "instructions"] + SOFTWARE)
        self.assertEqual(pe.record_event(out), "cycles")
        self.assertIn("cache-misses", pe.why(out))

    def test_not_counted_is_not_used(self):
        out = "   <not counted>      cycles\n   1,234      instructions\n"
        self.assertEqual(pe.decide(out), ["instructions"] + SOFTWARE)
        self.assertEqual(pe.record_event(out), "cpu-clock")

    def test_empty_output_falls_back(self):
        self.assertEqual(pe.decide(""), SOFTWARE)
        self.assertEqual(pe.record_event(""), "cpu-clock")


class ErrorTest(unittest.TestCase):
    def test_permission(self):
        e = pe.error(read_fixture("perf-stat-permission.txt"), 255)
        self.assertIn("kernel.perf_event_paranoid", e)
        self.assertEqual(len(e.splitlines()), 1)

    def test_perf_missing(self):
        self.assertEqual(pe.error(read_fixture("perf-missing.txt"), 127),
                         "perf is not installed: apt-get install linux-perf")
        self.assertIn("apt-get install linux-perf",
                      pe.error("perf not found for kernel 6.18.44\n\n  You may need to install linux-perf-6.18\n", 1))

    def test_other_failure_is_one_line(self):
        e = pe.error("event syntax error: 'cyclez'\n  \\___ parser error\n", 129)
        self.assertEqual(e, "perf stat failed (event syntax error: 'cyclez')")


if __name__ == "__main__":
    unittest.main()
