#!/usr/bin/env bash
# tests/library_install_test.sh: scripts/install into a fresh PREFIX, then build
# examples/two_threads.c outside the workspace with `cc $(pkg-config --cflags --libs
# pagealloc)` and run it; the installed header must define none of the model's compiler
# helpers or page constants, and the library must export pagealloc_* alone.
# Run by scripts/test (it needs Bazel, so it is not a Bazel test). Prints "N passed, N failed".
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=$(mktemp -d /tmp/pagealloc-install.XXXXXX)
trap 'rm -rf "$prefix"' EXIT
passed=0
failed=0
check() {
	if eval "$2"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1"; fi
}

pc=$("$root/scripts/install" "$prefix" 2>/dev/null)
check "scripts/install writes the pkg-config folder" '[ "$pc" = "$prefix/lib/pkgconfig" ] && [ -f "$pc/pagealloc.pc" ]'
export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
flags=$(pkg-config --cflags --libs pagealloc 2>&1)
check "pkg-config knows pagealloc ($flags)" '[ -n "$flags" ]'
(cd "$prefix" && cc -std=gnu11 -Wall -Werror "$root/examples/two_threads.c" $flags -lpthread -o two_threads)
check "the example builds outside the workspace" '[ -x "$prefix/two_threads" ]'
out=$("$prefix/two_threads" 2>&1)
check "the example runs: $out" '[ "$out" = "two_threads: ok (thread results 0, 0)" ]'
cat >"$prefix/hygiene.c" <<'C'
#include "pagealloc.h"
#if defined(likely) || defined(unlikely) || defined(READ_ONCE) || defined(WRITE_ONCE) || \
	defined(PAGE_SIZE) || defined(PAGE_SHIFT) || defined(MAX_ORDER) || defined(__cacheline_aligned)
#error "pagealloc.h defines a name that is not the project's"
#endif
int main(void) { return pagealloc_desc_new() == 0; }
C
(cd "$prefix" && cc -std=gnu11 -Wall -Werror hygiene.c $flags -o hygiene 2>"$prefix/hygiene.err")
check "the public header exports only the project's names ($(head -1 "$prefix/hygiene.err"))" '[ -x "$prefix/hygiene" ]'
others=$(nm -D --defined-only "$prefix/lib/libpagealloc.so" | awk '$2 ~ /[TDBRVW]/ {print $3}' | grep -v '^pagealloc_' | tr '\n' ' ')
check "libpagealloc.so exports pagealloc_* alone (others: $others)" '[ -z "$others" ]'
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
