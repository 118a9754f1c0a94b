#!/usr/bin/env python3
"""scripts/lib/flamegraph.py: `perf script` call chains folded into stacks and drawn as a
flame graph (SVG), without outside tools (Debian 12 packages none).

  perf script -i perf.data | flamegraph.py OUT.svg [--folded OUT.folded] [--title T]
  flamegraph.py --top N < OUT.folded      the hottest functions: self and total share

Frames are named as perf names them, less the compiler's clone suffixes (.constprop.0,
.isra.0, .part.0, .cold), so that a kernel name reads as one (rmqueue_bulk, not
rmqueue_bulk.constprop.0). Stacks run root (left of the folded line) to leaf.
"""
import html
import re
import sys
import zlib

SUFFIX = re.compile(r"\.(constprop|isra|part|cold|lto_priv)(\.\d+)*$|(\.(constprop|isra|part|cold|lto_priv)(\.\d+)*)+$")


def clean(sym):
    sym = sym.split("+0x")[0].strip()
    while True:
        new = SUFFIX.sub("", sym)
        if new == sym:
            return sym or "[unknown]"
        sym = new


def fold(lines):
    """perf script text -> {"root;...;leaf": samples}."""
    stacks, frames = {}, []

    def flush():
        if frames:
            key = ";".join(reversed(frames))
            stacks[key] = stacks.get(key, 0) + 1
        frames.clear()

    in_sample = False
    for line in lines:
        if not line.strip():
            flush()
            in_sample = False
            continue
        if line[0] not in " \t":
            flush()
            in_sample = True
            continue
        if in_sample:
            parts = line.strip().split(None, 1)
            sym = parts[1].rsplit(" (", 1)[0] if len(parts) > 1 else "[unknown]"
            frames.append(clean(sym))
    flush()
    return stacks


def top(stacks, n):
    """[(function, self share, total share)]: hottest self first, then by total (callers)."""
    total = sum(stacks.values()) or 1
    self_, incl = {}, {}
    for key, c in stacks.items():
        fr = key.split(";")
        self_[fr[-1]] = self_.get(fr[-1], 0) + c
        for f in set(fr):
            incl[f] = incl.get(f, 0) + c
    rows = sorted(incl, key=lambda f: (-self_.get(f, 0), -incl[f], f))[:n]
    return [(f, self_.get(f, 0) / total, incl[f] / total) for f in rows]


def svg(stacks, title, width=1200, row=17):
    tree = {}
    for key, c in stacks.items():
        node = tree
        for f in key.split(";"):
            e = node.setdefault(f, [0, {}])
            e[0] += c
            node = e[1]
    total = sum(stacks.values()) or 1
    depth = max((k.count(";") + 1 for k in stacks), default=1)
    height = (depth + 3) * row
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="monospace" '
           f'font-size="11">',
           f'<rect width="{width}" height="{height}" fill="#fdfdf6"/>',
           f'<text x="{width // 2}" y="{row}" text-anchor="middle" font-size="14">{html.escape(title)}</text>']

    def draw(node, x, level):
        for f in sorted(node):
            c, kids = node[f]
            w = c / total * (width - 20)
            if w < 0.3:
                x += w
                continue
            y = height - (level + 2) * row
            hue = zlib.crc32(f.encode()) % 60
            pct = 100.0 * c / total
            out.append(f'<g><title>{html.escape(f)} ({c} samples, {pct:.2f}%)</title>'
                       f'<rect x="{x + 10:.1f}" y="{y}" width="{max(w - 0.5, 0.1):.1f}" height="{row - 1}" '
                       f'fill="hsl({hue + 10},85%,{55 + (zlib.crc32(f.encode()) >> 8) % 15}%)"/>')
            chars = int(w / 7)
            if chars >= 3:
                label = f if len(f) <= chars else f[:chars - 2] + ".."
                out.append(f'<text x="{x + 13:.1f}" y="{y + row - 5}">{html.escape(label)}</text>')
            out.append("</g>")
            draw(kids, x, level + 1)
            x += w

    draw(tree, 0.0, 0)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv):
    if argv[:1] == ["--top"] and len(argv) == 2 and argv[1].isdigit():
        stacks = {}
        for line in sys.stdin:
            key, _, c = line.rstrip("\n").rpartition(" ")
            if key and c.isdigit():
                stacks[key] = stacks.get(key, 0) + int(c)
        print("| # | function | self % | total % |\n|---|---|---|---|")
        for i, (f, s, t) in enumerate(top(stacks, int(argv[1])), 1):
            print(f"| {i} | {f} | {100 * s:.1f} | {100 * t:.1f} |")
        return 0
    if not argv or argv[0].startswith("-"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    out, folded, title = argv[0], None, "perf flame graph"
    rest = argv[1:]
    while rest:
        if rest[0] == "--folded" and len(rest) > 1:
            folded, rest = rest[1], rest[2:]
        elif rest[0] == "--title" and len(rest) > 1:
            title, rest = rest[1], rest[2:]
        else:
            print(f"flamegraph.py: unknown argument '{rest[0]}'", file=sys.stderr)
            return 2
    stacks = fold(sys.stdin)
    if not stacks:
        print("flamegraph.py: no call chains on standard input (perf record -g?)", file=sys.stderr)
        return 1
    if folded:
        with open(folded, "w") as f:
            for key in sorted(stacks):
                f.write(f"{key} {stacks[key]}\n")
    with open(out, "w") as f:
        f.write(svg(stacks, title))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
