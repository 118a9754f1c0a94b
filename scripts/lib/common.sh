# shellcheck shell=bash
# Shared by the scripts: where the project is, installing what is missing, building.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

# Debian 12 packages the project needs. Each line: package, then a file that proves it is there.
DEPS=(
	"bazel-bootstrap /usr/bin/bazel"
	"gcc /usr/bin/gcc"
	"g++ /usr/bin/g++"
	"liburcu-dev /usr/include/x86_64-linux-gnu/urcu/urcu-memb.h"
	"libbenchmark-dev /usr/include/benchmark/benchmark.h"
	"liblzma-dev /usr/include/lzma.h"
	"xz-utils /usr/bin/xz"
	"clang /usr/bin/clang"
	"libclang-rt-14-dev /usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a"
	"python3 /usr/bin/python3"
	"gnuplot-nox /usr/bin/gnuplot"
)

log() { printf '%s\n' "$*" >&2; }
die() { printf '%s: error: %s\n' "$(basename "$0")" "$*" >&2; exit 2; }

# install_deps [extra "pkg file" ...]: apt-get install whatever is missing; silent when all present.
install_deps() {
	local missing=() entry pkg file
	for entry in "${DEPS[@]}" "$@"; do
		pkg=${entry%% *}
		file=${entry#* }
		[ -e "$file" ] || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	log "installing: ${missing[*]}"
	local sudo=""
	[ "$(id -u)" -ne 0 ] && sudo="sudo"
	$sudo apt-get update -qq >/dev/null || die "apt-get update failed (needs network access to Debian's archive)"
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null ||
		die "apt-get install ${missing[*]} failed"
}

# The userspace allocators the suite compares with (scripts/lib/run-peers), each: package,
# then the library that proves it is there. One that cannot be installed does not stop a
# run: install_peers says which and why, on stderr and in PEERS_MISSING (for machine.md).
PEER_DEPS=(
	"libjemalloc2 /usr/lib/x86_64-linux-gnu/libjemalloc.so.2"
	"libmimalloc2.0 /usr/lib/x86_64-linux-gnu/libmimalloc.so.2"
	"libtcmalloc-minimal4 /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4"
)
PEERS_MISSING=""
install_peers() {
	local entry pkg file missing=() updated=0 sudo="" why
	[ "$(id -u)" -ne 0 ] && sudo="sudo"
	for entry in "${PEER_DEPS[@]}"; do
		pkg=${entry%% *}
		file=${entry#* }
		[ -e "$file" ] || missing+=("$pkg")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	log "installing the peers: ${missing[*]}"
	for pkg in "${missing[@]}"; do
		if [ "$updated" = 0 ]; then
			$sudo apt-get update -qq >/dev/null 2>&1 || true
			updated=1
		fi
		if ! why=$(DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$pkg" 2>&1 >/dev/null); then
			why=$(printf '%s\n' "$why" | grep -v '^$' | tail -1)
			log "  peer $pkg not installed: ${why:-apt-get install failed}"
			PEERS_MISSING+="${PEERS_MISSING:+; }$pkg: ${why:-apt-get install failed}"
		fi
	done
	return 0
}

# Bazel leaves a server running; scripts stop it on exit so CI leaves nothing behind.
# (bazel_cmd often runs in a subshell - a pipeline, $(...) - so no flag is kept: stop always.)
bazel_cmd() {
	bazel "$@"
}
bazel_stop() {
	if command -v bazel >/dev/null 2>&1 && [ -f "$ROOT/WORKSPACE" ]; then
		(cd "$ROOT" && bazel shutdown >/dev/null 2>&1) || true
	fi
}
