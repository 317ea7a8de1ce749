#!/usr/bin/env python3
"""Prints the results tables of docs/benchmarks.md from the last run's
bench/.work/comparison.json, so that the page can be updated after `make bench`.

Usage: bench/doc_tables.py [bench/.work/comparison.json]
"""

import collections
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, ".work", "comparison.json")
    with open(path) as f:
        d = json.load(f)
    with open(os.path.join(HERE, "squawk_mapping.json")) as f:
        mapping = json.load(f)["squawk"]
    meta = d["meta"]
    print(f"Measured {meta['when']} at {meta['git']} ({meta.get('rules', '?')} rules), {meta['squawk_version']}; "
          f"max load {meta['max_load']:.2f}; other load before measuring: {meta.get('cpu_busy_before', 0) * 100:.0f}%; "
          f"build processes during the kept measurement: {meta['busy']}\n")
    print("| input | tool | wall s | peak RSS MB | findings | parse errors | squawk ÷ ours |")
    print("| --- | --- | --: | --: | --: | --: | --: |")
    labels = {"squawk": "squawk", "ours": "ours (default rules)", "ours_all": "ours (`--select all`)"}
    for inp in d["inputs"]:
        sm = inp["summary"]
        sq = sm.get("squawk", {}).get("wall_median")
        for key in ("squawk", "ours", "ours_all"):
            x = sm.get(key)
            if not x:
                print(f"| {inp['name']} | {labels[key]} | FAILED | | | | |")
                continue
            ratio = ""
            if key != "squawk" and sq and x["wall_median"]:
                ratio = f"{sq / x['wall_median']:.2f}×"
                if key == "ours":
                    ratio = f"**{ratio}**"
            print(f"| {inp['name']} | {labels[key]} | {x['wall_median']:.3f} | {x['rss_mb']:.0f} | "
                  f"{x['findings']:,} | {x['parse_errors']:,} | {ratio} |")
    print()
    names = [i["name"] for i in d["inputs"]]
    sq_counts = {i["name"]: i["counts"].get("squawk", {}) for i in d["inputs"]}
    our_counts = {i["name"]: i["counts"].get("ours_all", {}) for i in d["inputs"]}
    rules = collections.Counter()
    for n in names:
        for r, c in sq_counts[n].items():
            if r != "syntax-error":
                rules[r] += c
    print("| squawk rule | our rule(s) | " + " | ".join(names) + " |")
    print("| --- | --- | " + " | ".join("--:" for _ in names) + " |")
    for r, _ in sorted(rules.items(), key=lambda kv: (-kv[1], kv[0])):
        ids = mapping.get(r, {}).get("ours", [])
        cells = []
        for n in names:
            ours = sum(c for k, c in our_counts[n].items() if k in ids or k.rsplit("/", 1)[-1] in {i.rsplit("/", 1)[-1] for i in ids})
            cells.append(f"{sq_counts[n].get(r, 0):,} / {ours:,}")
        shown = ", ".join(f"`{i}`" for i in ids) if ids else "none"
        print(f"| `{r}` | {shown} | " + " | ".join(cells) + " |")
    print("\n(squawk / ours with --select all; ours counts every finding of the mapped rules, "
          "so a rule mapped from two squawk rules is counted in both rows; 0 for a rule that does not exist yet)")
    only = collections.Counter()
    mapped = {i.rsplit("/", 1)[-1] for v in mapping.values() for i in v.get("ours", [])}
    for n in names:
        for k, c in our_counts[n].items():
            if k.rsplit("/", 1)[-1] not in mapped:
                only[k] += c
    print("\nOur rules with no squawk counterpart: " + ", ".join(f"`{k}` {c:,}" for k, c in only.most_common()))


if __name__ == "__main__":
    main()
