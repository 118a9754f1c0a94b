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

# missing_pkgs "pkg file" ...: the packages whose proving file is absent, one a line.
missing_pkgs() {
	local entry
	for entry in "$@"; do
		[ -e "${entry#* }" ] || printf '%s\n' "${entry%% *}"
	done
}

# install_deps [extra "pkg file" ...]: apt-get install whatever is missing; silent when all present.
install_deps() {
	local missing=()
	mapfile -t missing < <(missing_pkgs "${DEPS[@]}" "$@")
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
	local pkg missing=() updated=0 sudo="" why
	[ "$(id -u)" -ne 0 ] && sudo="sudo"
	mapfile -t missing < <(missing_pkgs "${PEER_DEPS[@]}")
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

# built_bins TARGET...: the optimised build's bin folder, with the targets (Bazel labels
# like //alloc:show) up to date in it. When none of the project's sources is newer than
# any of their binaries it answers at once, without Bazel (no server started: scripts
# that only run a binary start in milliseconds); else it builds them, then records where
# the optimised outputs are (.cache/bazel-bin: bazel-bin itself follows the last build's
# configuration, an ASan one after scripts/test).
built_bins() {
	local stamp="$ROOT/.cache/bazel-bin" dir="" t f mark stale=0
	[ -f "$stamp" ] && dir=$(cat "$stamp")
	# Bazel keeps an unchanged output's old mtime, so each target's freshness is a stamp
	# written after its last successful build, not the binary's own time.
	if [ -n "$dir" ]; then
		for t in "$@"; do
			f="$dir/${t#//}"
			f=${f/://}
			mark="$ROOT/.cache/built/$(printf '%s' "$t" | tr '/:' '__')"
			if [ ! -x "$f" ] || [ ! -e "$mark" ] || [ -n "$(find "$ROOT/alloc" "$ROOT/pcp" "$ROOT/bench" "$ROOT/replay" "$ROOT/vtime" \
				"$ROOT/third_party" "$ROOT/WORKSPACE" "$ROOT/BUILD" "$ROOT/.bazelrc" -newer "$mark" -print -quit 2>/dev/null)" ]; then
				stale=1
				break
			fi
		done
		[ "$stale" = 0 ] && { printf '%s\n' "$dir"; return 0; }
	fi
	install_deps
	mkdir -p "$ROOT/.cache/built"
	: >"$ROOT/.cache/bazel-used-$$"        # for bazel_stop: $$ is the script's, even in $(...)
	local started
	started=$(mktemp "$ROOT/.cache/built/.start.XXXXXX")   # sources changed during the build stay newer
	bazel_cmd build --color=no --curses=no "$@" >/dev/null 2>&1 || {
		rm -f "$started"
		die "the build failed: run 'bazel build $*' to see why"
	}
	dir=$(bazel_cmd info bazel-bin 2>/dev/null)
	printf '%s\n' "$dir" >"$stamp"
	for t in "$@"; do
		mark="$ROOT/.cache/built/$(printf '%s' "$t" | tr '/:' '__')"
		cp -p "$started" "$mark"
	done
	rm -f "$started"
	printf '%s\n' "$dir"
}

# Bazel leaves a server running; scripts stop it on exit so CI leaves nothing behind.
# (bazel_cmd often runs in a subshell - a pipeline, $(...) - so no flag is kept: stop always.)
bazel_cmd() {
	bazel "$@"
}
bazel_stop() {
	if [ "${BAZEL_ONLY_IF_USED:-0}" = 1 ]; then
		# only scripts that ran Bazel (built_bins) stop its server
		[ -e "$ROOT/.cache/bazel-used-$$" ] || return 0
		rm -f "$ROOT/.cache/bazel-used-$$"
	fi
	if command -v bazel >/dev/null 2>&1 && [ -f "$ROOT/WORKSPACE" ]; then
		(cd "$ROOT" && bazel shutdown >/dev/null 2>&1) || true
	fi
}
