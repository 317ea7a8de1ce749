#!/usr/bin/env python3
"""Times proagent-backend's code review against semgrep and bandit on the
real-code corpus (bench/corpus.py), and counts findings per vulnerability class.

bench/run fetches the corpus and installs the tools, then calls:

    code_bench.py --ours BIN --semgrep BIN --bandit BIN --corpus DIR/src --work DIR
                  [--runs 3] [--peer-runs 1] [--warmup 1] [--idle-wait 120]
                  [--lines 1000000]

Inputs, in one run:
  mixed   the whole corpus (Python, JS/TS, Go): ours (`review --select all`)
          vs semgrep with our local rules (bench/semgrep/*.yml, no registry)
  python  the Python part (src/python): ours vs bandit (all its default tests)
  1M      the 1,000,000-line target: the mixed corpus itself when it has that
          many lines of code, else the corpus copied (hard links) as many times
          as needed into DIR/code-1m; ours only

Both peers see the same files as we do: semgrep gets --project-root at the
corpus root and a .semgrepignore there naming what we skip (node_modules,
vendor, *.min.js...; without it semgrep's defaults drop tests/ and *_test.go);
bandit walks src/python recursively. Each tool runs --warmup times untimed
(ours only: a semgrep warm-up would cost minutes), then --runs (ours) or
--peer-runs (semgrep, bandit) timed runs under `/usr/bin/time -f "%e %M"`;
wall time is the median (monotonic clock around the process), CPU time the
median of user + system seconds (%U + %S, children included: robust to other
load on the machine, which wall time is not), peak RSS the
largest %M (for semgrep, its largest process: GNU time reports the maximum
over the process tree, not the sum). Before each input the script waits for
quiet (bench.IdleWaiter: no cargo/rustc, CPUs under 25% busy).

Writes DIR/code-results.md (also printed) and DIR/code-comparison.json.
Exit status 0 when every tool ran (exit 0/1 and JSON output), 1 otherwise.
"""

import argparse
import collections
import datetime
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench import IdleWaiter, build_processes, machine_desc  # noqa: E402

CODE_EXT = {".py", ".pyi", ".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx", ".go"}

# What we skip by default, told to semgrep in the same words.
SEMGREPIGNORE = "\n".join([
    "# written by bench/code_bench.py: the same skips as proagent-backend's defaults",
    "node_modules/", "vendor/", "bower_components/",
    "*.min.js", "*.min.mjs", "*.min.cjs", "*-min.js", "*.bundle.js", "",
])

# bandit test id -> class (ours and semgrep's share class names). Tests not
# listed count as "other".
BANDIT_CLASS = {
    "B608": "sql-injection",
    "B602": "shell-injection", "B604": "shell-injection", "B605": "shell-injection",
    "B609": "shell-injection",
    "B102": "code-execution", "B307": "code-execution", "B301": "code-execution",
    "B302": "code-execution", "B506": "code-execution",
    "B105": "hardcoded-secret", "B106": "hardcoded-secret", "B107": "hardcoded-secret",
    "B501": "tls-verification-disabled", "B201": "debug-mode",
    "B303": "weak-password-hash", "B324": "weak-password-hash",
    "B311": "weak-random-token", "B113": "http-without-timeout",
    "B110": "swallowed-exception", "B112": "swallowed-exception",
}


def our_class(rule):
    area, _, name = rule.partition("/")
    if area in ("query", "migration", "schema"):
        return "embedded-sql (query/migration/schema rules)"
    return name


def count_code(root):
    files = lines = 0
    by_lang = collections.Counter()
    for dirpath, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for n in names:
            ext = os.path.splitext(n)[1].lower()
            if ext not in CODE_EXT or n.startswith("."):
                continue
            with open(os.path.join(dirpath, n), "rb") as f:
                data = f.read()
            k = data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
            files += 1
            lines += k
            by_lang[{".py": "python", ".pyi": "python", ".go": "go"}.get(
                ext, "typescript" if "ts" in ext else "javascript")] += k
    return files, lines, dict(by_lang)


class Tool:
    def __init__(self, key, label, argv, cwd, parse, env=None):
        self.key, self.label, self.argv, self.cwd, self.parse = key, label, argv, cwd, parse
        self.env = env
        self.walls, self.rss_kb, self.cpu = [], [], []
        self.failure = None
        self.result = None  # parsed: {"classes": Counter, "findings": n, "files": n, "errors": n}

    def run(self, tmp, keep):
        out, err, tim = (os.path.join(tmp, self.key + s) for s in (".out", ".err", ".time"))
        env = dict(os.environ, **(self.env or {}))
        with open(out, "wb") as o, open(err, "wb") as e:
            start = time.perf_counter()
            proc = subprocess.run(["/usr/bin/time", "-f", "%e %M %U %S", "-o", tim] + self.argv, cwd=self.cwd,
                                  stdout=o, stderr=e, stdin=subprocess.DEVNULL, env=env)
            wall = time.perf_counter() - start
        with open(tim) as f:
            fields = (f.read().strip().splitlines() or [""])[-1].split()
        rss = int(fields[1]) if len(fields) == 4 and fields[1].isdigit() else 0
        cpu = float(fields[2]) + float(fields[3]) if len(fields) == 4 else 0.0
        if proc.returncode not in (0, 1):
            with open(err, encoding="utf-8", errors="replace") as f:
                self.failure = f"exit status {proc.returncode}: {f.read().strip()[-800:]}"
            return
        if keep:
            self.walls.append(wall)
            self.rss_kb.append(rss)
            self.cpu.append(cpu)
        if self.result is None:
            try:
                with open(out, encoding="utf-8") as f:
                    self.result = self.parse(json.load(f))
            except ValueError as ex:
                self.failure = f"output is not JSON ({ex})"

    def summary(self):
        return {"wall_median": statistics.median(self.walls) if self.walls else None,
                "walls": self.walls, "cpu_median": statistics.median(self.cpu) if self.cpu else None,
                "rss_mb": max(self.rss_kb) / 1024 if self.rss_kb else None,
                "failure": self.failure, **(self.result or {})}


def parse_ours(doc):
    rules = collections.Counter(f["rule"] for f in doc.get("findings", []))
    classes = collections.Counter()
    for r, n in rules.items():
        classes[our_class(r)] += n
    return {"findings": sum(rules.values()), "files": doc["summary"]["files"],
            "errors": len(doc.get("errors", [])), "notes": len(doc.get("notes", [])),
            "classes": dict(classes), "rules": dict(rules)}


def parse_semgrep(doc):
    classes = collections.Counter(r["extra"].get("metadata", {}).get("class", "other")
                                  for r in doc.get("results", []))
    return {"findings": sum(classes.values()), "files": len(doc.get("paths", {}).get("scanned", [])),
            "errors": len(doc.get("errors", [])), "classes": dict(classes)}


def parse_bandit(doc):
    classes = collections.Counter(BANDIT_CLASS.get(r["test_id"], "other")
                                  for r in doc.get("results", []))
    tests = collections.Counter(r["test_id"] for r in doc.get("results", []))
    files = len([k for k in doc.get("metrics", {}) if k != "_totals"])
    return {"findings": sum(classes.values()), "files": files, "errors": len(doc.get("errors", [])),
            "classes": dict(classes), "tests": dict(tests)}


def measure(name, tools, runs, peer_runs, warmup, waiter, tmp):
    quiet = waiter.wait(name)
    busy = build_processes()
    for i in range(warmup):
        tools[0].run(tmp, keep=False)
    for i in range(max(runs, peer_runs)):
        for j, t in enumerate(tools):
            if not t.failure and i < (runs if j == 0 else peer_runs):
                t.run(tmp, keep=True)
    return {"quiet_before": quiet, "busy": max(busy, build_processes())}


def replicate(src, dest, copies):
    """dest/copy-N/... = src, hard-linked, N = 1..copies (cached by a stamp)."""
    stamp = os.path.join(dest, f".copies-{copies}")
    if os.path.exists(stamp):
        return
    subprocess.run(["rm", "-rf", dest], check=True)
    for n in range(1, copies + 1):
        subprocess.run(["cp", "-al", src, os.path.join(dest, f"copy-{n}")], check=True)
    open(stamp, "w").close()


def fmt_ratio(peer, ours):
    return f"{peer / ours:.1f}×" if peer and ours else "—"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", required=True)
    ap.add_argument("--semgrep", required=True)
    ap.add_argument("--bandit", required=True)
    ap.add_argument("--corpus", required=True, help="the corpus root (bench/corpus.py's DEST/src)")
    ap.add_argument("--work", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--peer-runs", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--idle-wait", type=float, default=120)
    ap.add_argument("--lines", type=int, default=1_000_000)
    args = ap.parse_args()
    corpus = os.path.abspath(args.corpus)
    args.ours, args.semgrep, args.bandit, args.work = (
        os.path.abspath(p) for p in (args.ours, args.semgrep, args.bandit, args.work))
    rules_dir = os.path.join(HERE, "semgrep")
    with open(os.path.join(corpus, ".semgrepignore"), "w") as f:
        f.write(SEMGREPIGNORE)
    ours = [args.ours, "review", "--select", "all", "--format", "json", "--no-progress", "."]
    sg_env = {"SEMGREP_ENABLE_VERSION_CHECK": "0", "SEMGREP_SEND_METRICS": "off"}
    semgrep = [args.semgrep, "scan", "--config", rules_dir, "--json", "--metrics=off",
               "--disable-version-check", "--quiet", "--jobs", "2", "--project-root", ".", "."]
    bandit = [args.bandit, "-q", "-r", "-f", "json", "."]
    python_dir = os.path.join(corpus, "python")

    mixed_files, mixed_lines, mixed_by_lang = count_code(corpus)
    py_files, py_lines, _ = count_code(python_dir)
    inputs = [
        {"name": "mixed", "root": corpus, "files": mixed_files, "lines": mixed_lines, "by_lang": mixed_by_lang,
         "tools": [Tool("ours", "ours (`--select all`)", ours, corpus, parse_ours),
                   Tool("semgrep", "semgrep (bench/semgrep rules)", semgrep, corpus, parse_semgrep, sg_env)]},
        {"name": "python", "root": python_dir, "files": py_files, "lines": py_lines,
         "tools": [Tool("ours", "ours (`--select all`)", ours, python_dir, parse_ours),
                   Tool("bandit", "bandit (default tests)", bandit, python_dir, parse_bandit)]},
    ]
    if mixed_lines < args.lines:
        copies = -(-args.lines // mixed_lines)
        big = os.path.join(args.work, "code-1m")
        replicate(corpus, big, copies)
        f, l, by = count_code(big)
        inputs.append({"name": "1M", "root": big, "files": f, "lines": l, "by_lang": by,
                       "tools": [Tool("ours", "ours (`--select all`)", ours, big, parse_ours)]})
    started, commit = measure_inputs(
        inputs, args, lambda inp: f"code-bench: {inp['name']}: {inp['files']:,} files, {inp['lines']:,} lines")
    versions = {}
    for key, argv in (("semgrep", [args.semgrep, "--version"]), ("bandit", [args.bandit, "--version"])):
        try:
            out = subprocess.run(argv, capture_output=True, text=True, timeout=120,
                                 env=dict(os.environ, **sg_env)).stdout
            versions[key] = out.strip().splitlines()[0] if out.strip() else "?"
        except (OSError, subprocess.TimeoutExpired):
            versions[key] = "?"
    md = [f"# Code review benchmark: proagent-backend vs semgrep and bandit", "",
          f"Measured {started:%Y-%m-%d %H:%M} UTC at {commit}; {machine_desc()}; semgrep {versions['semgrep']}, "
          f"{versions['bandit']}; ours {args.runs} timed runs (median) after {args.warmup} warm-up, "
          f"peers {args.peer_runs}.", "",
          "| input | files | lines | tool | wall s | CPU s | peak RSS MB | files seen | findings | errors | peer ÷ ours (wall) | peer ÷ ours (CPU) | quiet |",
          "|---|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|---|"]
    ok = True
    for inp in inputs:
        base = inp["tools"][0].summary()
        for t in inp["tools"]:
            s = t.summary()
            if t.failure:
                ok = False
            ratio = "" if t is inp["tools"][0] else fmt_ratio(s["wall_median"], base["wall_median"])
            cratio = "" if t is inp["tools"][0] else fmt_ratio(s["cpu_median"], base["cpu_median"])
            md.append(f"| {inp['name']} | {inp['files']:,} | {inp['lines']:,} | {t.label} | "
                      + (f"{s['wall_median']:.2f}" if s["wall_median"] else "—") + " | "
                      + (f"{s['cpu_median']:.1f}" if s["cpu_median"] else "—") + " | "
                      + (f"{s['rss_mb']:.0f}" if s["rss_mb"] else "—")
                      + f" | {s.get('files', '—')} | {s.get('findings', '—')} | {s.get('errors', '—')} | {ratio} | {cratio} | "
                      + ("yes" if inp["meta"]["quiet_before"] and not inp["meta"]["busy"] else "**no: build running**")
                      + " |" + (f" FAILED: {t.failure}" if t.failure else ""))
    md += ["", "## Findings per class", ""]
    for inp in inputs[:2]:
        tools = inp["tools"]
        classes = sorted({c for t in tools for c in (t.result or {}).get("classes", {})})
        md += [f"### {inp['name']}", "", "| class | " + " | ".join(t.key for t in tools) + " |",
               "|---|" + "--:|" * len(tools)]
        for c in classes:
            md.append(f"| {c} | " + " | ".join(str((t.result or {}).get("classes", {}).get(c, 0)) for t in tools) + " |")
        md.append("")
    ours_mixed = inputs[0]["tools"][0]
    md += ["### ours per rule (mixed)", "", "| rule | findings |", "|---|--:|"]
    for r, n in sorted((ours_mixed.result or {}).get("rules", {}).items(), key=lambda x: (-x[1], x[0])):
        md.append(f"| `{r}` | {n} |")
    bandit_tool = inputs[1]["tools"][1]
    md += ["", "### bandit per test (python)", "", "| test | class | findings |", "|---|---|--:|"]
    for tid, n in sorted((bandit_tool.result or {}).get("tests", {}).items(), key=lambda x: (-x[1], x[0])):
        md.append(f"| {tid} | {BANDIT_CLASS.get(tid, 'other')} | {n} |")
    # Targets
    big = inputs[-1] if inputs[-1]["name"] == "1M" else inputs[0]
    b = big["tools"][0].summary()
    sg = inputs[0]["tools"][1].summary()
    bd = inputs[1]["tools"][1].summary()
    ou_py = inputs[1]["tools"][0].summary()
    def met(x):
        return "met" if x else "**not met**"
    targets = [
        ("semgrep ÷ ours ≥ 50 (mixed)", fmt_ratio(sg["wall_median"], base_wall(inputs[0])),
         met(sg["wall_median"] and sg["wall_median"] / base_wall(inputs[0]) >= 50)),
        ("bandit ÷ ours ≥ 10 (python)", fmt_ratio(bd["wall_median"], ou_py["wall_median"]),
         met(bd["wall_median"] and bd["wall_median"] / ou_py["wall_median"] >= 10)),
        (f"{big['lines']:,} lines ({big['name']}) in < 10 s", f"{b['wall_median']:.2f} s" if b["wall_median"] else "—",
         met(big["lines"] >= args.lines and b["wall_median"] and b["wall_median"] < 10)),
        ("… with peak RSS < 500 MB", f"{b['rss_mb']:.0f} MB" if b["rss_mb"] else "—",
         met(b["rss_mb"] and b["rss_mb"] < 500)),
    ]
    md += ["", "## Targets", "", "| target | measured | |", "|---|--:|---|"]
    md += [f"| {a} | {m} | {v} |" for a, m, v in targets]
    write_results(args.work, "code", md, started, commit, versions, inputs)
    sys.exit(0 if ok else 1)


def measure_inputs(inputs, args, describe):
    """Measures every input's tools (each input after the machine is idle),
    filling inp["meta"]; returns (start time, short commit of HEAD)."""
    waiter = IdleWaiter(args.idle_wait)
    started = datetime.datetime.now(datetime.timezone.utc)
    with tempfile.TemporaryDirectory() as tmp:
        for inp in inputs:
            print(describe(inp), file=sys.stderr)
            inp["meta"] = measure(inp["name"], inp["tools"], args.runs, args.peer_runs, args.warmup, waiter, tmp)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True,
                            text=True).stdout.strip()
    return started, commit


def write_results(work, stem, md, started, commit, versions, inputs):
    """Writes <stem>-results.md (the tables, also printed) and
    <stem>-comparison.json (every measurement) under `work`."""
    text = "\n".join(md) + "\n"
    with open(os.path.join(work, f"{stem}-results.md"), "w") as f:
        f.write(text)
    with open(os.path.join(work, f"{stem}-comparison.json"), "w") as f:
        json.dump({"started": started.isoformat(), "commit": commit, "versions": versions,
                   "inputs": [{k: v for k, v in inp.items() if k != "tools"}
                              | {"tools": {t.key: t.summary() for t in inp["tools"]}} for inp in inputs]},
                  f, indent=1)
    sys.stdout.write(text)


def base_wall(inp):
    return inp["tools"][0].summary()["wall_median"]


if __name__ == "__main__":
    main()
