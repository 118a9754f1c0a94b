#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Merge Google Benchmark JSON files into one.

    merge_json.py [-o OUT] [--skip-missing] [--tag KEY]... FILE...

The result has the "context" of the first file and the "benchmarks" of every file,
concatenated in order. --tag KEY copies each file's context value of KEY into every
benchmark that came from it, as "context_KEY" (e.g. --tag peer_library --tag peer_version
for the peers, whose contexts differ). Writes to OUT, or to standard output. Python 3
standard library only. Exit status 2 on an unreadable or malformed file, or a missing one
unless --skip-missing (which notes it on stderr and goes on).
"""
import argparse
import json
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if not isinstance(doc, dict) or not isinstance(doc.get("benchmarks"), list):
        raise ValueError("not a Google Benchmark JSON file (no \"benchmarks\" list)")
    if not isinstance(doc.get("context", {}), dict):
        raise ValueError("\"context\" is not an object")
    return doc


def merge(docs, tags=()):
    if not docs:
        return {"context": {}, "benchmarks": []}
    out = {"context": dict(docs[0].get("context", {})), "benchmarks": []}
    for doc in docs:
        ctx = doc.get("context", {})
        for b in doc["benchmarks"]:
            if tags:
                b = dict(b)
                for k in tags:
                    if k in ctx:
                        b["context_" + k] = ctx[k]
            out["benchmarks"].append(b)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", metavar="FILE")
    ap.add_argument("-o", "--output", metavar="OUT", help="write here (default: standard output)")
    ap.add_argument("--skip-missing", action="store_true", help="note and skip files that do not exist")
    ap.add_argument("--tag", action="append", default=[], metavar="KEY",
                    help="copy context KEY of each file into its benchmarks as context_KEY")
    args = ap.parse_args(argv)

    docs = []
    for path in args.files:
        try:
            docs.append(load(path))
        except FileNotFoundError:
            if args.skip_missing:
                print(f"merge_json: skipping {path}: no such file", file=sys.stderr)
                continue
            print(f"merge_json: {path}: no such file", file=sys.stderr)
            return 2
        except (OSError, ValueError) as e:
            print(f"merge_json: {path}: {e}", file=sys.stderr)
            return 2
    if not docs:
        print("merge_json: no input file could be read", file=sys.stderr)
        return 2
    text = json.dumps(merge(docs, args.tag), indent=2) + "\n"
    if args.output:
        with open(args.output, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
