#!/usr/bin/env python3
"""Times proagent-backend's OpenAPI review against Spectral (`spectral:oas`)
and Redocly CLI (`recommended`) on the same real descriptions, in one run.

bench/run calls:

    api_bench.py --ours BIN --cache DIR --work DIR [--runs 3] [--peer-runs 1]
                 [--warmup 1] [--idle-wait 120]

Setup (cached under --cache, by default target/api-bench; a second run
downloads nothing): `npm install` of @stoplight/spectral-cli and @redocly/cli
into DIR/tools, and `npm pack` of the packages that carry the inputs:

  github       @octokit/openapi, generated/api.github.com.json: GitHub's REST
               API (OpenAPI 3.0, ~13 MB of JSON)
  kubernetes   kubernetes-client, lib/specs/swagger-1.13.json.gz: the
               Kubernetes 1.13 API (Swagger 2.0, ~3.5 MB)
  github-deref @octokit/openapi, generated/api.github.com.deref.json: the
               same API with every $ref inlined (~70 MB): ours only, the
               large-file check (the peers take minutes and gigabytes on it)

Each tool runs --warmup times untimed (ours only), then --runs (ours) or
--peer-runs (Spectral, Redocly) timed runs under /usr/bin/time (wall = the
median, CPU = median user+system, RSS = the largest peak), with the
machine-quiet wait of bench.IdleWaiter before each input. Measuring code is
code_bench's (Tool, measure_inputs), so the numbers mean the same things.

Writes DIR/api-results.md (also printed) and DIR/api-comparison.json. Exit
status 0 when every tool ran (exit 0/1 and JSON output), 1 otherwise, 2 when
setup failed.
"""

import argparse
import collections
import gzip
import os
import shutil
import subprocess
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench import machine_desc  # noqa: E402
from code_bench import Tool, fmt_ratio, measure_inputs, write_results  # noqa: E402

SPECTRAL_VERSION = os.environ.get("SPECTRAL_VERSION", "6.16.3")
REDOCLY_VERSION = os.environ.get("REDOCLY_VERSION", "2.77.0")
OCTOKIT_VERSION = os.environ.get("OCTOKIT_OPENAPI_VERSION", "23.0.2")
K8S_CLIENT_VERSION = os.environ.get("KUBERNETES_CLIENT_VERSION", "9.0.0")

QUIET_ENV = {"REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
             "NO_UPDATE_NOTIFIER": "1", "NODE_OPTIONS": "--max-old-space-size=8192"}


def die(msg):
    print(f"api-bench: error: {msg}", file=sys.stderr)
    sys.exit(2)


def npm(args, cwd):
    r = subprocess.run(["npm", "--no-audit", "--no-fund", "--loglevel=error"] + args, cwd=cwd,
                       capture_output=True, text=True)
    if r.returncode != 0:
        die(f"npm {' '.join(args)} failed: {r.stderr.strip()[-600:]}")
    return r.stdout


def setup(cache):
    """Installs the peers and extracts the inputs; returns (tools, inputs)."""
    if shutil.which("npm") is None:
        die("npm is required (Debian package 'npm')")
    tools = os.path.join(cache, "tools")
    os.makedirs(tools, exist_ok=True)
    stamp = os.path.join(tools, ".versions")
    want = f"spectral {SPECTRAL_VERSION} redocly {REDOCLY_VERSION}"
    bin_dir = os.path.join(tools, "node_modules", ".bin")
    if not os.path.exists(stamp) or open(stamp).read() != want:
        print(f"api-bench: npm install @stoplight/spectral-cli@{SPECTRAL_VERSION} @redocly/cli@{REDOCLY_VERSION}",
              file=sys.stderr)
        if not os.path.exists(os.path.join(tools, "package.json")):
            with open(os.path.join(tools, "package.json"), "w") as f:
                f.write('{"private": true}\n')
        npm(["install", f"@stoplight/spectral-cli@{SPECTRAL_VERSION}", f"@redocly/cli@{REDOCLY_VERSION}"], tools)
        with open(stamp, "w") as f:
            f.write(want)
    spectral, redocly = os.path.join(bin_dir, "spectral"), os.path.join(bin_dir, "redocly")
    for b in (spectral, redocly):
        if not os.path.exists(b):
            die(f"{b} missing after npm install")

    specs = os.path.join(cache, "specs")
    os.makedirs(specs, exist_ok=True)

    def pack(name, version):
        tgz = os.path.join(specs, f"{name.lstrip('@').replace('/', '-')}-{version}.tgz")
        if not os.path.exists(tgz):
            print(f"api-bench: npm pack {name}@{version}", file=sys.stderr)
            npm(["pack", "--silent", f"{name}@{version}"], specs)
        if not os.path.exists(tgz):
            die(f"npm pack did not produce {tgz}")
        return tgz

    def extract(tgz, member, dest, gunzip=False):
        if os.path.exists(dest):
            return dest
        with tarfile.open(tgz) as t:
            data = t.extractfile(t.getmember(member)).read()
        if gunzip:
            data = gzip.decompress(data)
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with open(dest + ".tmp", "wb") as f:
            f.write(data)
        os.replace(dest + ".tmp", dest)
        return dest

    octo = pack("@octokit/openapi", OCTOKIT_VERSION)
    k8s = pack("kubernetes-client", K8S_CLIENT_VERSION)
    inputs = [
        ("github", extract(octo, "package/generated/api.github.com.json",
                           os.path.join(specs, "github", "api.github.com.json")),
         f"@octokit/openapi {OCTOKIT_VERSION}, generated/api.github.com.json (OpenAPI 3.0)", True),
        ("kubernetes", extract(k8s, "package/lib/specs/swagger-1.13.json.gz",
                               os.path.join(specs, "kubernetes", "swagger-1.13.json"), gunzip=True),
         f"kubernetes-client {K8S_CLIENT_VERSION}, lib/specs/swagger-1.13.json.gz (Swagger 2.0)", True),
        ("github-deref", extract(octo, "package/generated/api.github.com.deref.json",
                                 os.path.join(specs, "github-deref", "api.github.com.deref.json")),
         f"@octokit/openapi {OCTOKIT_VERSION}, generated/api.github.com.deref.json (every $ref inlined)", False),
    ]
    ruleset = os.path.join(cache, "spectral-oas.yaml")
    with open(ruleset, "w") as f:
        f.write('extends: ["spectral:oas"]\n')
    return spectral, redocly, ruleset, inputs


def parse_ours(doc):
    rules = collections.Counter(f["rule"] for f in doc.get("findings", []))
    return {"findings": sum(rules.values()), "errors": len(doc.get("errors", [])),
            "notes": len(doc.get("notes", [])), "rules": dict(rules)}


def parse_spectral(doc):
    rules = collections.Counter(r.get("code", "?") for r in doc)
    return {"findings": sum(rules.values()), "errors": 0, "rules": dict(rules)}


def parse_redocly(doc):
    rules = collections.Counter(p.get("ruleId", "?") for p in doc.get("problems", []))
    return {"findings": sum(rules.values()), "errors": 0, "rules": dict(rules)}


def version(argv):
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=120,
                             env=dict(os.environ, **QUIET_ENV)).stdout.strip()
        return out.splitlines()[-1] if out else "?"
    except (OSError, subprocess.TimeoutExpired):
        return "?"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", required=True)
    ap.add_argument("--cache", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--peer-runs", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--idle-wait", type=float, default=120)
    args = ap.parse_args()
    args.ours, args.cache, args.work = (os.path.abspath(p) for p in (args.ours, args.cache, args.work))
    os.makedirs(args.work, exist_ok=True)
    spectral, redocly, ruleset, specs = setup(args.cache)

    inputs = []
    for name, path, desc, with_peers in specs:
        cwd, file = os.path.dirname(path), os.path.basename(path)
        tools = [Tool("ours", "ours (`--select all`)",
                      [args.ours, "review", "--select", "all", "--format", "json", "--no-progress", file],
                      cwd, parse_ours)]
        if with_peers:
            tools += [
                Tool("spectral", "Spectral (`spectral:oas`)",
                     [spectral, "lint", file, "--ruleset", ruleset, "--format", "json", "--quiet",
                      "--fail-severity", "error"], cwd, parse_spectral, QUIET_ENV),
                Tool("redocly", "Redocly (`recommended`)",
                     [redocly, "lint", file, "--format", "json", "--max-problems", "1000000"], cwd, parse_redocly, QUIET_ENV),
            ]
        inputs.append({"name": name, "file": path, "desc": desc, "bytes": os.path.getsize(path), "tools": tools})

    started, commit = measure_inputs(
        inputs, args, lambda inp: f"api-bench: {inp['name']}: {inp['bytes'] / 1e6:.1f} MB")
    versions = {"spectral": version([spectral, "--version"]), "redocly": version([redocly, "--version"])}
    md = ["# OpenAPI review benchmark: proagent-backend vs Spectral and Redocly", "",
          f"Measured {started:%Y-%m-%d %H:%M} UTC at {commit}; {machine_desc()}; Spectral {versions['spectral']}, "
          f"Redocly {versions['redocly']}; ours {args.runs} timed runs (median) after {args.warmup} warm-up, "
          f"peers {args.peer_runs}.", "",
          "| input | MB | tool | wall s | CPU s | peak RSS MB | findings | peer ÷ ours (wall) | peer ÷ ours (RSS) | quiet |",
          "|---|--:|---|--:|--:|--:|--:|--:|--:|---|"]
    ok = True
    for inp in inputs:
        base = inp["tools"][0].summary()
        for t in inp["tools"]:
            s = t.summary()
            ok &= not t.failure
            first = t is inp["tools"][0]
            md.append(
                f"| {inp['name']} | {inp['bytes'] / 1e6:.1f} | {t.label} | "
                + (f"{s['wall_median']:.2f}" if s["wall_median"] else "—") + " | "
                + (f"{s['cpu_median']:.1f}" if s["cpu_median"] else "—") + " | "
                + (f"{s['rss_mb']:.0f}" if s["rss_mb"] else "—") + f" | {s.get('findings', '—')} | "
                + ("" if first else fmt_ratio(s["wall_median"], base["wall_median"])) + " | "
                + ("" if first else fmt_ratio(s["rss_mb"], base["rss_mb"])) + " | "
                + ("yes" if inp["meta"]["quiet_before"] and not inp["meta"]["busy"] else "**no: build running**")
                + " |" + (f" FAILED: {t.failure}" if t.failure else ""))
    md += ["", "Inputs:", ""] + [f"- {inp['name']}: {inp['desc']}" for inp in inputs]

    def met(x):
        return "met" if x else "**not met**"

    targets = []
    for inp in inputs:
        ts = {t.key: t.summary() for t in inp["tools"]}
        if "spectral" not in ts:
            o = ts["ours"]
            targets.append((f"{inp['name']} ({inp['bytes'] / 1e6:.0f} MB): reviewed, peak RSS < 1 GB",
                            f"{o['wall_median'] or 0:.2f} s, {o['rss_mb'] or 0:.0f} MB",
                            met(o["wall_median"] and not inp["tools"][0].failure and o["rss_mb"] < 1024)))
            continue
        o, sp, rd = ts["ours"], ts["spectral"], ts["redocly"]
        ratio = lambda a, b: (a / b) if a and b else 0  # noqa: E731
        targets += [
            (f"{inp['name']}: Spectral ÷ ours ≥ 10 (wall)", fmt_ratio(sp["wall_median"], o["wall_median"]),
             met(ratio(sp["wall_median"], o["wall_median"]) >= 10)),
            (f"{inp['name']}: faster than Redocly", fmt_ratio(rd["wall_median"], o["wall_median"]),
             met(ratio(rd["wall_median"], o["wall_median"]) > 1)),
            (f"{inp['name']}: less memory than both", f"{o['rss_mb'] or 0:.0f} MB vs {sp['rss_mb'] or 0:.0f} / {rd['rss_mb'] or 0:.0f} MB",
             met(o["rss_mb"] and o["rss_mb"] < min(sp["rss_mb"] or 0, rd["rss_mb"] or 0))),
        ]
    md += ["", "## Targets", "", "| target | measured | |", "|---|--:|---|"]
    md += [f"| {a} | {m} | {v} |" for a, m, v in targets]
    md += ["", "## Findings per rule (github)", ""]
    for t in inputs[0]["tools"]:
        rules = (t.result or {}).get("rules", {})
        top = sorted(rules.items(), key=lambda x: (-x[1], x[0]))[:15]
        md.append(f"- {t.key}: " + ", ".join(f"`{r}` {n}" for r, n in top))
    write_results(args.work, "api", md, started, commit, versions, inputs)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
