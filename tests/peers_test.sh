#!/usr/bin/env bash
# tests/peers_test.sh: the peers scripts/bench compares with are installed and run: one
# short row under each of glibc, jemalloc, mimalloc and tcmalloc, each in its own JSON,
# each naming its library. Run by scripts/test after the build (install_peers ran
# before). Prints "N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d /tmp/peers-test.XXXXXX)
trap 'rm -rf "$out"' EXIT
passed=0
failed=0
bin=$(cat "$root/.cache/bazel-bin" 2>/dev/null)/bench/peer_bench
[ -x "$bin" ] || bin=$(cd "$root" && bazel info bazel-bin 2>/dev/null)/bench/peer_bench
PEER_BENCH=$bin "$root/scripts/lib/run-peers" "$out" --benchmark_filter='^repeat/[a-z]+/order:0/real_time/threads:1$' \
	--benchmark_min_time=0.01 >"$out/list" 2>"$out/log"
for peer in glibc jemalloc mimalloc tcmalloc; do
	j=$out/peers-$peer.json
	if python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(0 if any(b["name"].startswith("repeat/" + sys.argv[2] + "/") and not b.get("error_occurred") for b in d["benchmarks"]) else 1)' "$j" "$peer" 2>/dev/null; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		echo "FAIL: no $peer row ($(grep -m1 "$peer" "$out/log"))"
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
