#!/usr/bin/env python3
"""Which perf events this machine supports, decided from a probe's output.

scripts/perf-profile runs `perf stat -e cycles,instructions,cache-misses true` and feeds
what perf printed (stdout and stderr together) to this module:

    perf_events.py decide < probe.txt
      stat=cycles,instructions,cache-misses,task-clock,...   events for `perf stat -e`
      record=cycles                                          event for `perf record -e`
      hardware=yes
      why=...                                                one line, for the log
    perf_events.py error < output.txt
      prints one line naming the problem and its fix (permission, perf missing), or nothing

On VMs without a virtual PMU every hardware event reads `<not supported>`: then only the
software events are used and sampling uses cpu-clock (a timer), which works everywhere.
Python 3 standard library only.
"""
import re
import sys

HARDWARE = ["cycles", "instructions", "cache-misses"]
SOFTWARE = ["task-clock", "context-switches", "cpu-migrations", "page-faults"]
PROBE = ["perf", "stat", "-e", ",".join(HARDWARE), "true"]

# `   <not supported>      cycles:u   ` / `  1,234,567      cycles   # 2.1 GHz`
_LINE = re.compile(r"^\s*(<not supported>|<not counted>|[0-9][0-9,.]*)\s+(?:\w+\s+)?([A-Za-z][\w-]*)(?::[a-zA-Z]+)?\b")


def counted(output):
    """{event: True when it was counted, False when perf said <not supported>/<not counted>}."""
    out = {}
    for line in output.splitlines():
        m = _LINE.match(line)
        if not m:
            continue
        value, event = m.group(1), m.group(2)
        if event in HARDWARE or event in SOFTWARE:
            out[event] = not value.startswith("<")
    return out


def error(output, returncode=0):
    """One line naming why perf cannot be used here, with the fix; None when it can."""
    low = output.lower()
    if "command not found" in low or ("no such file" in low and "perf" in low) or \
            "perf not found for kernel" in low:
        return "perf is not installed: apt-get install linux-perf"
    if "perf_event_paranoid" in low or "no permission" in low or \
            "access to performance monitoring" in low or "permission denied" in low:
        return ("perf is not permitted for this user: run as root, or allow it with"
                " 'sysctl -w kernel.perf_event_paranoid=1' (as root)")
    if returncode != 0 and not counted(output):
        first = next((l.strip() for l in output.splitlines() if l.strip()), "no output")
        return f"perf stat failed ({first})"
    return None


def decide(output):
    """Events for `perf stat`: the hardware events the probe counted, then the software ones."""
    c = counted(output)
    hw = [e for e in HARDWARE if c.get(e)]
    return hw + SOFTWARE


def record_event(output):
    """Sampling event: cycles when the PMU counts it, else the cpu-clock timer."""
    return "cycles" if counted(output).get("cycles") else "cpu-clock"


def why(output):
    c = counted(output)
    hw = [e for e in HARDWARE if c.get(e)]
    missing = [e for e in HARDWARE if not c.get(e)]
    if not missing:
        return "hardware counters are supported: " + ", ".join(hw)
    if not hw:
        return ("hardware counters are not supported here (perf stat says <not supported> for "
                + ", ".join(missing) + "): software events only, sampling on the cpu-clock timer")
    return (f"some hardware counters are not supported ({', '.join(missing)}): using "
            + ", ".join(hw) + " and the software events")


def main(argv):
    if len(argv) != 1 or argv[0] not in ("decide", "error"):
        sys.exit("usage: perf_events.py decide|error < perf-output.txt")
    text = sys.stdin.read()
    if argv[0] == "error":
        e = error(text)
        if e:
            print(e)
        return
    print("stat=" + ",".join(decide(text)))
    print("record=" + record_event(text))
    print("hardware=" + ("yes" if "cycles" in decide(text) else "no"))
    print("why=" + why(text))


if __name__ == "__main__":
    main(sys.argv[1:])
