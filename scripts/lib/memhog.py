#!/usr/bin/env python3
"""memhog.py SIZE [SECONDS] - map SIZE (e.g. 20G, 512M) of anonymous memory, touch every
page, mlock it and hold it for SECONDS (default: until killed). For pressure captures:
the rest of memory is what a streamed file must fit through (replay/testdata/README.md).
Needs root (or RLIMIT_MEMLOCK). Python 3 standard library only."""
import ctypes
import mmap
import signal
import sys
import time


def size_of(s):
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(float(s[:-1]) * mult[s[-1].upper()]) if s[-1].upper() in mult else int(s)


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: memhog.py SIZE [SECONDS]")
    n = size_of(sys.argv[1])
    buf = mmap.mmap(-1, n, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    for off in range(0, n, mmap.PAGESIZE):
        buf[off] = 1
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    addr = ctypes.addressof(ctypes.c_char.from_buffer(buf))
    if libc.mlock(ctypes.c_void_p(addr), ctypes.c_size_t(n)) != 0:
        print("memhog: mlock failed (errno %d); holding unlocked" % ctypes.get_errno(), file=sys.stderr)
    print("memhog: holding %d MiB" % (n >> 20), file=sys.stderr, flush=True)
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    time.sleep(float(sys.argv[2]) if len(sys.argv) > 2 else 1e9)


if __name__ == "__main__":
    main()
