#!/usr/bin/env bash
# bad_input_cli_test: every bad input gets a non-zero exit and one message naming it, at
# once (no hang, no half-written output). Cases from issue 13's adversarial pass.
set -u
show=alloc/show
replay=replay/replay
bench=bench/pagealloc_bench
zi=replay/testdata/compile.zoneinfo.before
trace=replay/testdata/compile.trace.xz
tmp=${TEST_TMPDIR:-$(mktemp -d)}
passed=0
failed=0

# expect RC PART -- COMMAND...: that exit status, PART in its output (stderr, or a row on stdout).
expect() {
	local want=$1 part=$2
	shift 3
	local out rc
	out=$(timeout 60 "$@" 2>&1)
	rc=$?
	if { [ "$want" = nonzero ] && [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]; } || [ "$rc" = "$want" ]; then
		if printf '%s' "$out" | grep -qF -- "$part"; then
			passed=$((passed + 1))
			return
		fi
	fi
	failed=$((failed + 1))
	printf 'FAIL: %s\n  exit %s (want %s); stderr:\n%s\n  (wanted: %s)\n' "$*" "$rc" "$want" "$out" "$part"
}

head -n 120 "$zi" >"$tmp/cut120"
head -n 170 "$zi" >"$tmp/cut170"
expect 2 "zone DMA32 (line 99) ends without 'start_pfn'" -- $show zoneinfo --zoneinfo "$tmp/cut120"
expect 2 "zone Normal (line 145) ends without 'start_pfn'" -- $show zoneinfo --zoneinfo "$tmp/cut170"
expect 2 "needs" -- $show buddyinfo --mem 4095T
expect 2 "config /dev/zero: is not a regular file" -- $show buddyinfo --config /dev/zero
expect 2 "config /tmp: is a directory" -- $show buddyinfo --config /tmp
expect 2 "mem: 'nan' is not a size" -- $show buddyinfo --mem nan
expect 2 "movablecore: 'nan' is not a size" -- $show buddyinfo --movablecore nan
expect 2 "backed: 'maybe' is not yes or no" -- $show buddyinfo --backed=maybe
expect 2 "a node's distance to itself must be 10" -- $show zonelists --nodes 2 --distance 0,0,0,0
expect 2 "cpus: 2 CPUs cannot cover 4 nodes" -- $show zonelists --cpus 2 --nodes 4
expect 2 "nodes: '64' is not a number in 1..63" -- $show zonelists --nodes 64
expect 2 "unexpected argument" -- $show buddyinfo extra

expect 2 "--tick-ms 'nan' is not a number" -- $replay "$trace" --tick-ms nan
expect 2 "--tick-ms 'inf' is not a number" -- $replay "$trace" --tick-ms inf
expect 2 "--tick-ms '1e30' is not a number" -- $replay "$trace" --tick-ms 1e30
expect 2 "--tick-phase-ms '1e300' is not a number" -- $replay "$trace" --tick-phase-ms 1e300
expect 2 "unknown option '--frobnicate'" -- $replay "$trace" --frobnicate
expect 2 "expected one TRACE, got 2" -- $replay "$trace" "$trace"
printf 'p 1 [0] 1.0: kmem:mm_page_alloc: page=0x1 pfn=0x1 order=0 migratetype=99 gfp_flags=GFP_KERNEL\n' >"$tmp/mt.trace"
expect 1 "bad migratetype= value '99'" -- $replay "$tmp/mt.trace" --zoneinfo "$zi"
printf 'p 1 [0] 1.0: kmem:mm_page_free: page=0x1 pfn=0x100000000000000 order=0\n' >"$tmp/pfn.trace"
expect 1 "is beyond 2^40" -- $replay "$tmp/pfn.trace" --zoneinfo "$zi"

expect 2 "BENCH_MAX_THREADS='abc' is not a number" -- env BENCH_MAX_THREADS=abc $bench --benchmark_list_tests
expect 2 "BENCH_MAX_THREADS='-5' is not a number" -- env BENCH_MAX_THREADS=-5 $bench --benchmark_list_tests
# a row whose allocations fail: an error row, whole JSON, exit 1, no bad_page and no abort
expect 1 "alloc_pages(order 0) failed: this machine cannot hold the workload" -- \
	$bench --min-free-kbytes 1073741824 --benchmark_filter='^repeat/model-linux-4.12-owner/order:0/real_time/threads:1$' \
	--benchmark_out="$tmp/huge.json" --benchmark_out_format=json
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["benchmarks"][0].get("error_occurred") else 1)' "$tmp/huge.json" &&
	! $bench --min-free-kbytes 1073741824 --benchmark_filter='^repeat/model-linux-4.12-owner/order:0/real_time/threads:1$' 2>&1 | grep -q "Bad page state"; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
	echo "FAIL: the failed row's JSON is not whole, or a NULL was freed"
fi

# the kernels' names and the new options
expect 2 "policy: 'linux-9.9' is not one of linux-4.12, linux-4.19, linux-5.14" -- $show zoneinfo --policy linux-9.9
expect 2 "percpu_pagelist_fraction: linux-6.18 has no such sysctl (it has percpu_pagelist_high_fraction)" -- \
	$show zoneinfo --policy linux-6.18 --percpu-pagelist-fraction 8
expect 2 "zone-lock: 'mcs' is not auto, queued or tas" -- $show zoneinfo --zone-lock mcs
expect 2 "fast-path: 'maybe' is not yes or no" -- $show zoneinfo --fast-path=maybe
expect 2 "--threads: '0' is not a thread count in 1..1024" -- $bench --threads 0
expect 2 "--threads: 'x' is not a thread count in 1..1024" -- $bench --threads 1,x
expect 0 "linux-4.12's vmstat tick does nothing to the pcp lists; --tick-ms has no effect" -- \
	$replay "$trace" --policy linux-4.12 --tick-ms 500
# --threads LIST chooses the counts, exactly those (up to the model's CPUs)
lst=$($bench --benchmark_list_tests --policy linux-6.18 --scheme owner --cpus 32 --threads 1,4,26 2>/dev/null |
	grep '^bulk/model-linux-6.18-owner/order:0/' | sed 's/.*threads://' | tr '\n' ' ')
if [ "$lst" = "1 4 26 " ]; then passed=$((passed + 1)); else
	failed=$((failed + 1)); echo "FAIL: --threads 1,4,26 listed '$lst'"; fi
# without it: 1, 2, 4, ... below the limit and the limit itself, not every integer
lst=$(BENCH_MAX_THREADS=13 $bench --benchmark_list_tests --policy linux-6.18 --scheme owner --cpus 16 2>/dev/null |
	grep '^bulk/model-linux-6.18-owner/order:0/' | sed 's/.*threads://' | tr '\n' ' ')
if [ "$lst" = "1 2 4 8 13 " ]; then passed=$((passed + 1)); else
	failed=$((failed + 1)); echo "FAIL: 13 threads listed '$lst'"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
