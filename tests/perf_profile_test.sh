#!/usr/bin/env bash
# tests/perf_profile_test.sh: scripts/perf-profile on a short row names the allocator's
# functions by their kernel names (at least three of them in perf-top.md), draws a flame
# graph that is well-formed SVG, and refuses a regex that matches several rows.
# Run by scripts/test (it builds with Bazel and runs perf). Prints "N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d /tmp/perf-profile-test.XXXXXX)
trap 'rm -rf "$out"' EXIT
passed=0
failed=0
check() {
	if eval "$2"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1"; fi
}

"$root/scripts/perf-profile" 'bulk/model-linux-4.12-owner/order:0' --benchmark_min_time=0.2 --out "$out" \
	>"$out/log" 2>&1
rc=$?
check "perf-profile runs (exit $rc: $(tail -1 "$out/log"))" '[ "$rc" -eq 0 ]'
names=0
found=""
for f in __alloc_pages_nodemask get_page_from_freelist get_page_from_freelist_fast rmqueue_pcplist \
	rmqueue_pcplist_fast rmqueue_bulk __rmqueue_smallest __rmqueue free_pcppages_bulk __free_one_page \
	free_unref_page free_unref_page_fast __free_pages alloc_pages_node; do
	if grep -q "| $f |" "$out/perf-top.md" 2>/dev/null; then
		names=$((names + 1))
		found="$found $f"
	fi
done
check "perf-top.md names at least three kernel functions (found:$found)" '[ "$names" -ge 3 ]'
check "flamegraph.svg is well-formed SVG" \
	'python3 -c "import sys, xml.dom.minidom as m; d = m.parse(sys.argv[1]); sys.exit(d.documentElement.tagName != \"svg\")" "$out/flamegraph.svg"'
check "the post-run checker is not in the profile" '! grep -q "check_machine" "$out/perf-top.md"'
"$root/scripts/perf-profile" '^repeat/model-linux-4.12-owner/order:0/.*$' --out "$out/two" >"$out/log2" 2>&1
rc=$?
check "a regex that matches two rows is refused ($(tail -1 "$out/log2"))" '[ "$rc" -ne 0 ] && grep -q "matches 2 rows" "$out/log2"'
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
