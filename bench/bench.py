#!/usr/bin/env python3
"""Times proagent-backend against squawk on the same SQL inputs and compares
what each reports, hazard by hazard.

bench/run prepares the tools and the inputs, then calls this script:

    bench.py --ours BIN --squawk BIN --work DIR \
        --input 'NAME|ROOT|DESCRIPTION' [--input ...] [--runs 3] [--warmup 1]

Every regular (non-symlink) *.sql file under ROOT, sorted, is one input set's
file list; both tools get exactly that list, as paths relative to ROOT (the
working directory of every run). Each tool configuration runs --warmup times
untimed, then --runs times under `/usr/bin/time -f "%e %M"`; the runs of the
configurations are interleaved so that drift in machine load hits all of
them alike. Wall time is the median (measured with a monotonic clock around
the process, since %e has only 10 ms resolution); peak RSS is the largest %M.

The comparison uses our `--select all` run (the superset of our rules) and
squawk's default rule set, through bench/squawk_mapping.json. It writes
DIR/results.md (also printed) and DIR/comparison.json (every per-file
difference, untruncated). Exit status: 0 when every run worked, 1 when a tool
crashed or printed something that is not its JSON report.
"""

import argparse
import collections
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MAPPING_FILE = os.path.join(HERE, "squawk_mapping.json")

# stdout caps per rule for the per-file lists; results.md gets more, and
# comparison.json everything.
STDOUT_FILES_PER_RULE = 8
MD_FILES_PER_RULE = 60
LINES_PER_FILE = 6
STATEMENT_SAMPLES = 8

# Inputs whose runs take under SHORT_RUN seconds are timed more often than
# --runs (up to SHORT_RUN_MAX runs, about SHORT_RUN_BUDGET seconds each).
SHORT_RUN = 0.1
SHORT_RUN_MAX = 15
SHORT_RUN_BUDGET = 0.5


# ---------------------------------------------------------------- statements

STMT_TOKEN = re.compile(
    r"""
      (?P<meta>^[ \t]*\\[^\n]*)                      # psql meta-command line
    | (?P<line>--[^\n]*)                             # line comment
    | (?P<block>/\*.*?\*/)                           # block comment (not nested)
    | (?P<dollar>\$(?P<tag>[A-Za-z_][A-Za-z_0-9]*|)\$.*?\$(?P=tag)\$)
    | (?P<str>'(?:[^']|'')*')
    | (?P<ident>"(?:[^"]|"")*")
    | (?P<semi>;)
    """,
    re.VERBOSE | re.DOTALL | re.MULTILINE,
)


def count_statements(text):
    """Approximate count of SQL statements: non-empty `;`-terminated runs,
    skipping comments, strings, dollar-quoted bodies and psql meta-commands."""
    count = 0
    content = False
    pos = 0
    for m in STMT_TOKEN.finditer(text):
        if not content and text[pos:m.start()].strip():
            content = True
        kind = m.lastgroup if m.lastgroup != "tag" else "dollar"
        if kind in ("dollar", "str", "ident"):
            content = True
        elif kind == "semi":
            if content:
                count += 1
            content = False
        pos = m.end()
    if content or text[pos:].strip():
        count += 1
    return count


STMT_TOKEN_BYTES = re.compile(STMT_TOKEN.pattern.encode(), STMT_TOKEN.flags & ~re.UNICODE)


class StatementMap:
    """Maps (1-based line, 0-based byte column) in a file to the index of
    the statement that contains it, with the same lexing as count_statements."""

    def __init__(self, path):
        import bisect
        self._bisect = bisect.bisect_left
        with open(path, "rb") as f:
            data = f.read()
        self.line_starts = [0] + [m.end() for m in re.finditer(rb"\n", data)]
        self.ends = [m.start() for m in STMT_TOKEN_BYTES.finditer(data) if m.lastgroup == "semi"]
        self.ends.append(len(data) + 1)

    def index(self, line, col=0):
        if line is None:
            return None
        start = self.line_starts[min(max(line, 1), len(self.line_starts)) - 1]
        return self._bisect(self.ends, start + max(col or 0, 0))


def statement_counts(root, files, cache_path):
    try:
        with open(cache_path) as f:
            cache = json.load(f)
    except (OSError, ValueError):
        cache = {}
    total = 0
    changed = False
    for rel in files:
        path = os.path.join(root, rel)
        st = os.stat(path)
        key = f"{os.path.realpath(path)}|{st.st_size}|{int(st.st_mtime)}"
        if key not in cache:
            with open(path, encoding="utf-8", errors="replace") as f:
                cache[key] = count_statements(f.read())
            changed = True
        total += cache[key]
    if changed:
        with open(cache_path, "w") as f:
            json.dump(cache, f)
    return total


# ------------------------------------------------------------------- running

def list_sql_files(root):
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in filenames:
            path = os.path.join(dirpath, name)
            if name.endswith(".sql") and not os.path.islink(path) and os.path.isfile(path):
                out.append(os.path.relpath(path, root))
    out.sort()
    return out


def build_processes():
    """Names of compiler processes running now (other builds skew timings)."""
    try:
        out = subprocess.run(["pgrep", "-x", "cargo|rustc"], capture_output=True, text=True).stdout
    except OSError:
        return 0
    return len(out.split())


def cpu_busy(interval=0.5):
    """Share of all CPUs busy over `interval` seconds (0..1), from /proc/stat."""
    def sample():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return v[3] + v[4], sum(v)  # idle + iowait, total
    try:
        i0, t0 = sample()
        time.sleep(interval)
        i1, t1 = sample()
    except (OSError, ValueError, IndexError):
        return 0.0
    return 1 - (i1 - i0) / max(t1 - t0, 1)


# Busier than this (other processes, before a measurement starts) counts as
# "not quiet": 2 cores, so 0.25 is half a core.
BUSY_CPU = 0.25


class IdleWaiter:
    """Waits until no cargo/rustc process runs and the CPUs are mostly idle,
    within one shared budget of seconds for the whole benchmark."""

    def __init__(self, budget, quiet=5):
        self.budget = budget
        self.quiet = quiet
        self.waited = 0.0

    def quiet_now(self):
        return build_processes() == 0 and cpu_busy() < BUSY_CPU

    def wait(self, why):
        if self.quiet_now():
            return True
        if self.waited >= self.budget:
            return False
        print(f"bench: {why}: machine busy (cargo/rustc or other load); waiting for {self.quiet}s of quiet "
              f"(budget left {self.budget - self.waited:.0f}s)", file=sys.stderr)
        calm = 0
        while self.waited < self.budget:
            start = time.monotonic()
            ok = self.quiet_now()
            time.sleep(max(0.0, 1 - (time.monotonic() - start)))
            self.waited += time.monotonic() - start
            calm = calm + 1 if ok else 0
            if calm >= self.quiet:
                return True
        print("bench: warning: still busy; measuring anyway (results.md says so)", file=sys.stderr)
        return False


def loadavg():
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


class Config:
    def __init__(self, key, label, tool, argv, kind):
        self.key = key          # short id: squawk, ours, ours_all
        self.label = label      # shown in tables
        self.tool = tool        # squawk | ours
        self.argv = argv        # full command, files included
        self.kind = kind        # squawk | ours (output format)
        self.walls = []
        self.rss_kb = []
        self.failure = None
        self.output = None      # parsed JSON of the last run
        self.rc = None


def run_once(cfg, cwd, tmpdir):
    out_path = os.path.join(tmpdir, cfg.key + ".out")
    err_path = os.path.join(tmpdir, cfg.key + ".err")
    time_path = os.path.join(tmpdir, cfg.key + ".time")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        start = time.perf_counter()
        proc = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", time_path] + cfg.argv,
                              cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        wall = time.perf_counter() - start
    with open(time_path) as f:
        lines = [l for l in f.read().splitlines() if l.strip()]
    # GNU time writes "Command exited with non-zero status N" before the numbers.
    fields = lines[-1].split() if lines else []
    rss = int(fields[1]) if len(fields) == 2 and fields[1].isdigit() else 0
    with open(err_path, encoding="utf-8", errors="replace") as f:
        stderr = f.read()
    return proc.returncode, wall, rss, out_path, stderr


def acceptable_rc(cfg, rc):
    return rc in (0, 1)  # both tools: 0 clean, 1 findings; anything else is a failure


def measure(input_set, configs, runs, warmup, tmpdir):
    busy = []
    loads = []
    i = 0
    total = warmup + runs
    while i < total:
        for cfg in configs:
            if cfg.failure:
                continue
            busy.append(build_processes())
            loads.append(loadavg())
            rc, wall, rss, out_path, stderr = run_once(cfg, input_set["cwd"], tmpdir)
            cfg.rc = rc
            if not acceptable_rc(cfg, rc):
                tail = "\n".join(stderr.strip().splitlines()[-15:])
                cfg.failure = f"exit status {rc}" + (f"; stderr:\n{tail}" if tail else "")
                continue
            if i >= warmup:
                cfg.walls.append(wall)
                cfg.rss_kb.append(rss)
            if i == total - 1 or cfg.output is None:
                try:
                    with open(out_path, encoding="utf-8") as f:
                        cfg.output = json.load(f)
                except ValueError as e:
                    cfg.failure = f"output is not JSON ({e}); stderr: {stderr.strip()[-500:]}"
            if stderr.strip() and cfg.tool == "ours" and i == 0:
                input_set.setdefault("stderr", {})[cfg.key] = stderr.strip()[-2000:]
        if i == warmup and total == warmup + runs:
            # Runs this short are dominated by noise: repeat them more, up to
            # about SHORT_RUN_BUDGET seconds per configuration.
            fastest = min((c.walls[-1] for c in configs if c.walls), default=None)
            if fastest is not None and fastest < SHORT_RUN:
                total = warmup + max(runs, min(SHORT_RUN_MAX, int(SHORT_RUN_BUDGET / max(fastest, 1e-3))))
        i += 1
    input_set["runs"] = total - warmup
    return max(busy) if busy else 0, max(loads) if loads else float("nan")


# --------------------------------------------------------------- comparison

def norm_path(p, root):
    if os.path.isabs(p):
        p = os.path.relpath(p, root)
    return os.path.normpath(p)


def ours_records(doc, root):
    findings = [(f["rule"], norm_path(f["path"], root), f.get("line"), max((f.get("column") or 1) - 1, 0))
                for f in doc.get("findings", [])]
    errors = [(norm_path(e["path"], root), e.get("line"), e.get("message", "")) for e in doc.get("errors", [])]
    notes = [(norm_path(n["path"], root), n.get("line"), n.get("message", "")) for n in doc.get("notes", [])]
    return findings, errors, notes


def squawk_records(doc, root):
    # squawk lines are 0-based; shown 1-based like ours.
    return [(v["rule_name"], norm_path(v["file"], root),
             (v["line"] + 1) if isinstance(v.get("line"), int) else None, v.get("level"), v.get("column") or 0)
            for v in doc]


class Registry:
    """Our rule ids, and how mapping ids resolve against them."""

    def __init__(self, ids):
        self.ids = set(ids)
        self.by_name = collections.defaultdict(list)
        for rid in ids:
            self.by_name[rid.rsplit("/", 1)[-1]].append(rid)
        self.moved = {}

    def resolve(self, rid):
        """The registry id for a mapping id, or None if no such rule exists yet."""
        if rid in self.ids:
            return rid
        cands = self.by_name.get(rid.rsplit("/", 1)[-1], [])
        if len(cands) == 1:
            self.moved[rid] = cands[0]
            return cands[0]
        return None


def fmt_lines(lines):
    lines = sorted(l for l in lines if l is not None)
    shown = ", ".join(str(l) for l in lines[:LINES_PER_FILE])
    if len(lines) > LINES_PER_FILE:
        shown += f", … (+{len(lines) - LINES_PER_FILE})"
    return shown


def compare(input_set, squawk_cfg, ours_cfg, mapping, registry):
    root = input_set["cwd"]
    sq = squawk_records(squawk_cfg.output, root)
    ours_f, ours_e, ours_n = ours_records(ours_cfg.output, root)

    sq_by_rule_file = collections.defaultdict(lambda: collections.defaultdict(list))
    sq_syntax = collections.defaultdict(list)
    sq_pos = collections.defaultdict(list)    # rule -> [(path, line, col)]
    for rule, path, line, level, col in sq:
        if rule == "syntax-error":
            sq_syntax[path].append(line)
        else:
            sq_by_rule_file[rule][path].append(line)
            sq_pos[rule].append((path, line, col))
    ours_by_rule_file = collections.defaultdict(lambda: collections.defaultdict(list))
    ours_pos = collections.defaultdict(list)  # rule -> [(path, line, col)]
    for rule, path, line, col in ours_f:
        ours_by_rule_file[rule][path].append(line)
        ours_pos[rule].append((path, line, col))
    ours_errors = collections.defaultdict(list)
    for path, line, msg in ours_e:
        ours_errors[path].append((line, msg))

    smap = mapping["squawk"]
    resolved = {r: [x for x in (registry.resolve(i) for i in v.get("ours", [])) if x] for r, v in smap.items()}
    reverse = collections.defaultdict(list)
    for r, ids in resolved.items():
        for i in ids:
            reverse[i].append(r)

    result = {"hazards": [], "misses": [], "not_implemented": [], "unmapped_squawk": [],
              "extras": [], "ours_only_rules": [], "parse": {}}

    for rule in sorted(sq_by_rule_file):
        files = sq_by_rule_file[rule]
        n = sum(len(v) for v in files.values())
        entry = smap.get(rule)
        ours_ids = resolved.get(rule, [])
        ours_files = collections.defaultdict(list)
        for oid in ours_ids:
            for path, lines in ours_by_rule_file.get(oid, {}).items():
                ours_files[path].extend(lines)
        result["hazards"].append({
            "squawk_rule": rule, "squawk_findings": n, "squawk_files": len(files),
            "ours": ours_ids, "planned": [] if entry is None else [i for i in entry.get("ours", []) if not registry.resolve(i)],
            "ours_findings": sum(len(v) for v in ours_files.values()), "ours_files": len(ours_files),
            "mapped": entry is not None,
        })
        if entry is None:
            result["unmapped_squawk"].append({"rule": rule, "findings": n, "files": len(files)})
            continue
        if not ours_ids:
            result["not_implemented"].append({"rule": rule, "findings": n, "files": len(files),
                                              "planned": entry.get("ours", [])})
            continue
        missed = []
        for path in sorted(files):
            if path not in ours_files:
                missed.append({"file": path, "squawk_lines": sorted(l for l in files[path] if l is not None),
                               "ours_errors_in_file": len(ours_errors.get(path, []))})
        if missed:
            result["misses"].append({"rule": rule, "ours": ours_ids, "files": missed,
                                     "squawk_files": len(files)})

    for oid in sorted(ours_by_rule_file):
        files = ours_by_rule_file[oid]
        n = sum(len(v) for v in files.values())
        sq_rules = reverse.get(oid, [])
        if not sq_rules:
            result["ours_only_rules"].append({"rule": oid, "findings": n, "files": len(files)})
            continue
        sq_files = set()
        for r in sq_rules:
            sq_files.update(sq_by_rule_file.get(r, {}).keys())
        extra = []
        for path in sorted(files):
            if path not in sq_files:
                extra.append({"file": path, "ours_lines": sorted(l for l in files[path] if l is not None),
                              "squawk_syntax_errors_in_file": len(sq_syntax.get(path, []))})
        if extra:
            result["extras"].append({"rule": oid, "squawk": sq_rules, "files": extra, "ours_files": len(files)})

    # Statement level: for each squawk rule with an existing counterpart, the
    # statements only one side flagged (a finding belongs to the statement
    # whose text contains its start position).
    maps = {}

    def stmt_keys(positions):
        keys = {}
        for path, line, col in positions:
            if path not in maps:
                full = os.path.join(root, path)
                maps[path] = StatementMap(full) if os.path.isfile(full) else None
            m = maps[path]
            idx = m.index(line, col) if m else line
            keys.setdefault((path, idx), line)
        return keys

    result["statements"] = []
    for rule in sorted(sq_pos):
        ours_ids = resolved.get(rule, [])
        if not ours_ids:
            continue
        sq_keys = stmt_keys(sq_pos[rule])
        our_keys = stmt_keys([p for oid in ours_ids for p in ours_pos.get(oid, [])])
        only_sq = sorted(set(sq_keys) - set(our_keys), key=lambda k: (k[0], k[1] or 0))
        only_ours = sorted(set(our_keys) - set(sq_keys), key=lambda k: (k[0], k[1] or 0))
        result["statements"].append({
            "squawk_rule": rule, "ours": ours_ids, "both": len(set(sq_keys) & set(our_keys)),
            "squawk_only": [{"file": k[0], "line": sq_keys[k]} for k in only_sq],
            "ours_only": [{"file": k[0], "line": our_keys[k]} for k in only_ours],
        })

    sq_err_files = set(sq_syntax)
    our_err_files = set(ours_errors)
    result["parse"] = {
        "squawk_syntax_errors": sum(len(v) for v in sq_syntax.values()),
        "squawk_files_with_syntax_errors": sorted(sq_err_files),
        "ours_errors": len(ours_e),
        "ours_files_with_errors": sorted(our_err_files),
        "ours_errors_where_squawk_parses": [
            {"file": p, "errors": [{"line": l, "message": m} for l, m in ours_errors[p][:5]], "count": len(ours_errors[p])}
            for p in sorted(our_err_files - sq_err_files)],
        "squawk_errors_where_ours_has_none": [
            {"file": p, "squawk_lines": sorted(l for l in sq_syntax[p] if l is not None)}
            for p in sorted(sq_err_files - our_err_files)],
        "ours_notes": len(ours_n),
    }
    return result


# ------------------------------------------------------------------- output

def md_table(headers, rows, align=None):
    out = ["| " + " | ".join(headers) + " |"]
    align = align or ["---"] * len(headers)
    out.append("| " + " | ".join(align) + " |")
    for r in rows:
        out.append("| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |")
    return "\n".join(out)


def rule_counts(records_by_rule):
    return sorted(records_by_rule.items(), key=lambda kv: (-kv[1], kv[0]))


def render(meta, inputs, mapping, registry, cap):
    L = []
    w = L.append
    w("# proagent-backend vs squawk: benchmark results\n")
    w(f"- when: {meta['when']}")
    w(f"- machine: {meta['machine']}")
    w(f"- ours: {meta['ours_version']} (git {meta['git']}, {meta['rules']} rules), squawk: {meta['squawk_version']}")
    w(f"- runs: {meta['warmup']} warm-up + {meta['runs']} timed per tool configuration, interleaved; "
      "wall = median, peak RSS = max over the timed runs (`/usr/bin/time -f \"%e %M\"`)")
    w(f"- load: other processes kept up to {meta['cpu_busy_before'] * 100:.0f}% of the CPUs busy just before "
      f"an input was measured; max 1-min load average {meta['max_load']:.2f} (includes the benchmark itself); "
      + ("**cargo/rustc processes were running during measurement: numbers are skewed**"
         if meta["busy"] else "no cargo/rustc process was running"))
    w("")
    w("## Timing\n")
    rows = []
    for s in inputs:
        sq = s["configs"]["squawk"]
        sq_wall = statistics.median(sq.walls) if sq.walls else None
        for key in ("squawk", "ours", "ours_all"):
            c = s["configs"][key]
            if c.failure:
                rows.append([s["name"], s["files_n"], f"{s['statements']:,}", c.label, "FAILED", "", "", "", ""])
                continue
            wall = statistics.median(c.walls)
            rss = max(c.rss_kb) / 1024
            if c.kind == "squawk":
                nf = sum(1 for v in c.output if v.get("rule_name") != "syntax-error")
                ne = sum(1 for v in c.output if v.get("rule_name") == "syntax-error")
                ratio = ""
            else:
                nf = len(c.output.get("findings", []))
                ne = len(c.output.get("errors", []))
                ratio = f"{sq_wall / wall:.2f}×" if sq_wall and wall > 0 else ""
            rows.append([s["name"], s["files_n"], f"{s['statements']:,}", c.label, f"{wall:.3f}",
                         f"{rss:.0f}", f"{nf:,}", f"{ne:,}", ratio])
    w(md_table(["input", "files", "statements (approx)", "tool", "wall s", "peak RSS MB",
                "findings", "parse errors", "squawk ÷ ours (>1: we are faster)"], rows,
               ["---", "--:", "--:", "---", "--:", "--:", "--:", "--:", "--:"]))
    w("")
    for s in inputs:
        w(f"- **{s['name']}**: {s['description']} ({s['bytes'] / 1e6:.1f} MB; {s.get('runs', meta['runs'])} timed runs per tool)")
    w("")
    failures = [(s["name"], c) for s in inputs for c in s["configs"].values() if c.failure]
    if failures:
        w("## Failures\n")
        for name, c in failures:
            w(f"- {name}, {c.label}: " + c.failure.replace("\n", "\n  "))
        w("")
    stderr_notes = [(s["name"], k, v) for s in inputs for k, v in s.get("stderr", {}).items()]
    if stderr_notes:
        w("## Our stderr (first run)\n")
        for name, k, v in stderr_notes:
            w(f"- {name}, {k}: `{v[:300]}`")
        w("")

    w("## Rule mapping (bench/squawk_mapping.json)\n")
    rows = []
    no_counterpart = []
    for r, v in sorted(mapping["squawk"].items()):
        ids = v.get("ours", [])
        if not ids:
            no_counterpart.append(r)
            continue
        shown = []
        for i in ids:
            got = registry.resolve(i)
            if got == i:
                shown.append(f"`{i}` ✓")
            elif got:
                shown.append(f"`{got}` ✓ (mapping says `{i}`)")
            else:
                shown.append(f"`{i}` (planned)")
        rows.append([f"`{r}`", ", ".join(shown) or "—", v.get("note", "")])
    w(md_table(["squawk rule", "our rule(s) (✓ = exists now)", "note"], rows))
    w("")
    w("No counterpart (on purpose or not yet planned): " + ", ".join(f"`{r}`" for r in no_counterpart) + "\n")

    for s in inputs:
        cmp = s.get("comparison")
        w(f"## {s['name']}: findings by hazard\n")
        if cmp is None:
            w("(no comparison: a tool failed)\n")
            continue
        sq = s["configs"]["squawk"].output
        c_sq = collections.Counter(v["rule_name"] for v in sq)
        c_def = collections.Counter(f["rule"] for f in s["configs"]["ours"].output.get("findings", []))
        c_all = collections.Counter(f["rule"] for f in s["configs"]["ours_all"].output.get("findings", []))
        w("Counts per rule, each tool on its own:\n")
        rows = [[f"`{r}`", f"{n:,}"] for r, n in rule_counts(c_sq)]
        w(md_table(["squawk rule", "findings"], rows or [["—", "0"]], ["---", "--:"]))
        w("")
        ids = sorted(set(c_def) | set(c_all), key=lambda r: (-c_all.get(r, 0), r))
        rows = [[f"`{r}`", f"{c_def.get(r, 0):,}", f"{c_all.get(r, 0):,}"] for r in ids]
        w(md_table(["our rule", "default rules", "--select all"], rows or [["—", "0", "0"]], ["---", "--:", "--:"]))
        w("")
        w("Per hazard (squawk rule → our mapped rules, `--select all`):\n")
        rows = []
        for h in cmp["hazards"]:
            if not h["mapped"]:
                ours = "(not in mapping)"
            elif h["ours"]:
                ours = ", ".join(f"`{i}`" for i in h["ours"])
            else:
                ours = "not implemented" + (f" (planned: {', '.join(h['planned'])})" if h["planned"] else "")
            rows.append([f"`{h['squawk_rule']}`", f"{h['squawk_findings']:,}", h["squawk_files"], ours,
                         f"{h['ours_findings']:,}" if h["ours"] else "", h["ours_files"] if h["ours"] else ""])
        w(md_table(["squawk rule", "squawk findings", "files", "our rule(s)", "our findings", "files"], rows,
                   ["---", "--:", "--:", "---", "--:", "--:"]))
        w("")
        if cmp["ours_only_rules"]:
            w("Our rules with no squawk counterpart: " + ", ".join(
                f"`{x['rule']}` {x['findings']:,} in {x['files']} file(s)" for x in cmp["ours_only_rules"]) + "\n")

        w(f"### {s['name']}: possible misses (squawk fired R in a file, we fired none of R's rules)\n")
        if not cmp["misses"]:
            w("None for the squawk rules whose counterpart exists.\n")
        for m in cmp["misses"]:
            w(f"- `{m['rule']}` → {', '.join('`%s`' % i for i in m['ours'])}: "
              f"{len(m['files'])} of {m['squawk_files']} file(s)")
            for f in m["files"][:cap]:
                extra = f"; we reported {f['ours_errors_in_file']} parse error(s) there" if f["ours_errors_in_file"] else ""
                w(f"  - `{f['file']}` squawk lines {fmt_lines(f['squawk_lines'])}{extra}")
            if len(m["files"]) > cap:
                w(f"  - … {len(m['files']) - cap} more in bench/.work/comparison.json")
        if cmp["not_implemented"]:
            w("\nNot implemented yet (every file squawk flags is a miss): " + ", ".join(
                f"`{x['rule']}` ({x['findings']:,} in {x['files']} file(s))" for x in cmp["not_implemented"]))
        if cmp["unmapped_squawk"]:
            w("\n**Squawk rules missing from bench/squawk_mapping.json**: " + ", ".join(
                f"`{x['rule']}` ({x['findings']:,})" for x in cmp["unmapped_squawk"]))
        w("")
        if cmp.get("statements"):
            w(f"### {s['name']}: statement by statement (rules whose counterpart exists)\n")
            rows = []
            for st in cmp["statements"]:
                def sample(items):
                    shown = ", ".join(f"{x['file']}:{x['line']}" for x in items[:STATEMENT_SAMPLES])
                    return shown + (f", … (+{len(items) - STATEMENT_SAMPLES})" if len(items) > STATEMENT_SAMPLES else "")
                rows.append([f"`{st['squawk_rule']}`", ", ".join(f"`{i}`" for i in st["ours"]), st["both"],
                             len(st["squawk_only"]), sample(st["squawk_only"]),
                             len(st["ours_only"]), sample(st["ours_only"])])
            w(md_table(["squawk rule", "our rule(s)", "both", "squawk only", "where (file:line)",
                        "ours only", "where (file:line)"], rows,
                       ["---", "---", "--:", "--:", "---", "--:", "---"]))
            w("")
        w(f"### {s['name']}: the reverse (we fired a rule in a file, squawk fired none of its counterparts)\n")
        if not cmp["extras"]:
            w("None.\n")
        for m in cmp["extras"]:
            skipped = sum(1 for f in m["files"] if f["squawk_syntax_errors_in_file"])
            w(f"- `{m['rule']}` ← {', '.join('`%s`' % i for i in m['squawk'])}: {len(m['files'])} of "
              f"{m['ours_files']} file(s)" + (f" ({skipped} of them have squawk syntax errors, so squawk ran no rule there)" if skipped else ""))
            for f in m["files"][:cap]:
                note = " (squawk: syntax error, no rules run)" if f["squawk_syntax_errors_in_file"] else ""
                w(f"  - `{f['file']}` our lines {fmt_lines(f['ours_lines'])}{note}")
            if len(m["files"]) > cap:
                w(f"  - … {len(m['files']) - cap} more in bench/.work/comparison.json")
        w("")
        p = cmp["parse"]
        w(f"### {s['name']}: parse errors\n")
        w(f"- squawk: {p['squawk_syntax_errors']:,} syntax-error entries in {len(p['squawk_files_with_syntax_errors'])} file(s)"
          + (": " + ", ".join(f"`{x}`" for x in p["squawk_files_with_syntax_errors"][:cap]) if p["squawk_files_with_syntax_errors"] else ""))
        w(f"- ours (--select all): {p['ours_errors']:,} error(s) in {len(p['ours_files_with_errors'])} file(s); {p['ours_notes']:,} note(s)")
        if p["ours_errors_where_squawk_parses"]:
            w("- **our errors on files squawk parses without error:**")
            for f in p["ours_errors_where_squawk_parses"][:cap]:
                first = f["errors"][0]
                w(f"  - `{f['file']}` ({f['count']}): line {first['line']}: {first['message'][:160]}")
        if p["squawk_errors_where_ours_has_none"]:
            w("- files where squawk reports syntax errors and we report none (we parse only the statement kinds our enabled rules read, and drop psql meta-commands):")
            for f in p["squawk_errors_where_ours_has_none"][:cap]:
                w(f"  - `{f['file']}` squawk lines {fmt_lines(f['squawk_lines'])}")
        w("")
    if registry.moved:
        w("Mapping ids resolved by rule name (update bench/squawk_mapping.json): "
          + ", ".join(f"`{a}` → `{b}`" for a, b in sorted(registry.moved.items())) + "\n")
    return "\n".join(L) + "\n"


# --------------------------------------------------------------------- main

def tool_version(argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout.strip() or "?"
    except (OSError, subprocess.SubprocessError):
        return "?"


def machine_desc():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            mem = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({cpu}), {mem} RAM, {platform.system()} {platform.release()}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ours", required=True)
    ap.add_argument("--squawk", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--input", action="append", required=True, help="NAME|ROOT|DESCRIPTION")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--idle-wait", type=int, default=120,
                    help="seconds in all to wait for other cargo/rustc processes to finish")
    ap.add_argument("--retries", type=int, default=2,
                    help="re-measure an input this many times when a build ran during its measurement")
    args = ap.parse_args()
    waiter = IdleWaiter(args.idle_wait)
    # Every run's working directory is the input's root: resolve the tools first.
    args.ours = os.path.abspath(args.ours) if os.sep in args.ours else (shutil.which(args.ours) or args.ours)
    args.squawk = os.path.abspath(args.squawk) if os.sep in args.squawk else (shutil.which(args.squawk) or args.squawk)

    with open(MAPPING_FILE) as f:
        mapping = json.load(f)
    rules_json = subprocess.run([args.ours, "rules", "--format", "json"], capture_output=True, text=True)
    if rules_json.returncode != 0:
        sys.exit(f"bench: `{args.ours} rules --format json` failed: {rules_json.stderr.strip()}")
    registry = Registry([r["id"] for r in json.loads(rules_json.stdout)])
    # The working tree's state when measuring starts (others may commit meanwhile).
    git = subprocess.run(["git", "-C", HERE, "describe", "--always", "--dirty"], capture_output=True, text=True).stdout.strip() or "?"

    arg_max = os.sysconf("SC_ARG_MAX") if hasattr(os, "sysconf") else 131072
    inputs = []
    ok = True
    busy = 0
    max_load = 0.0
    max_cpu_busy = 0.0
    tmpdir = tempfile.mkdtemp(prefix="pab-bench-")
    stage_dirs = []
    try:
        for spec in args.input:
            name, root, desc = spec.split("|", 2)
            root = os.path.abspath(root)
            files = list_sql_files(root)
            if not files:
                sys.exit(f"bench: input {name}: no .sql files under {root}")
            size = sum(os.path.getsize(os.path.join(root, f)) for f in files)
            print(f"bench: {name}: {len(files)} file(s), {size / 1e6:.1f} MB; counting statements…", file=sys.stderr)
            n_stmts = statement_counts(root, files, os.path.join(args.work, "statement-counts.json"))
            cwd = root
            ours_paths, squawk_paths = files, files
            if sum(len(f) + 1 for f in files) > arg_max // 4 or os.environ.get("BENCH_STAGE") == "1":
                # Too long for one command line: hard-link exactly these files
                # into a staging directory outside the repository (so that no
                # .gitignore hides them) and pass a directory / a glob instead.
                stage = tempfile.mkdtemp(prefix=f"pab-bench-{name}-")
                stage_dirs.append(stage)
                for rel in files:
                    dst = os.path.join(stage, rel)
                    os.makedirs(os.path.dirname(dst), exist_ok=True)
                    try:
                        os.link(os.path.join(root, rel), dst)
                    except OSError:
                        shutil.copyfile(os.path.join(root, rel), dst)
                cwd = stage
                ours_paths, squawk_paths = ["."], ["**/*.sql"]
                print(f"bench: {name}: file list too long for one command line; using {stage}", file=sys.stderr)
            base = [args.ours, "review", "--format", "json", "--no-progress"]
            for attempt in range(args.retries + 1):
                configs = [
                    Config("squawk", "squawk", "squawk", [args.squawk, "--reporter", "json"] + squawk_paths, "squawk"),
                    Config("ours", "ours (default rules)", "ours", base + ours_paths, "ours"),
                    Config("ours_all", "ours (--select all)", "ours", base + ["--select", "all"] + ours_paths, "ours"),
                ]
                s = {"name": name, "description": desc, "root": root, "cwd": cwd, "files_n": len(files),
                     "bytes": size, "statements": n_stmts, "configs": {c.key: c for c in configs}}
                waiter.wait(name)
                s["cpu_busy_before"] = cpu_busy()
                print(f"bench: {name}: ~{n_stmts:,} statements; timing {args.warmup}+{args.runs} runs per tool…", file=sys.stderr)
                b, l = measure(s, configs, args.runs, args.warmup, tmpdir)
                if b == 0 or attempt == args.retries or waiter.waited >= waiter.budget:
                    break
                print(f"bench: {name}: a build ran during the measurement; measuring again", file=sys.stderr)
            busy = max(busy, b)
            max_load = max(max_load, l)
            max_cpu_busy = max(max_cpu_busy, s.get("cpu_busy_before", 0.0))
            for c in configs:
                if c.failure:
                    ok = False
                    print(f"bench: {name}: {c.label} FAILED: {c.failure}", file=sys.stderr)
            if not configs[0].failure and not configs[2].failure:
                s["comparison"] = compare(s, configs[0], configs[2], mapping, registry)
            inputs.append(s)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
        for d in stage_dirs:
            shutil.rmtree(d, ignore_errors=True)

    meta = {
        "when": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine_desc(),
        "ours_version": tool_version([args.ours, "--version"]),
        "squawk_version": tool_version([args.squawk, "--version"]),
        "git": git, "rules": len(registry.ids), "runs": args.runs, "warmup": args.warmup, "busy": busy, "max_load": max_load, "cpu_busy_before": max_cpu_busy,
    }
    md = render(meta, inputs, mapping, registry, MD_FILES_PER_RULE)
    with open(os.path.join(args.work, "results.md"), "w") as f:
        f.write(md)
    short = render(meta, inputs, mapping, registry, STDOUT_FILES_PER_RULE)
    dump = {
        "meta": meta,
        "inputs": [{
            "name": s["name"], "description": s["description"], "files": s["files_n"], "bytes": s["bytes"],
            "statements": s["statements"],
            "tools": {k: {"label": c.label, "walls": c.walls, "rss_kb": c.rss_kb, "failure": c.failure}
                      for k, c in s["configs"].items()},
            "comparison": s.get("comparison"),
            "counts": {k: (dict(collections.Counter(v["rule_name"] for v in c.output)) if c.kind == "squawk"
                           else dict(collections.Counter(f["rule"] for f in c.output.get("findings", []))))
                       for k, c in s["configs"].items() if c.output is not None and not c.failure},
            "summary": {k: {"wall_median": statistics.median(c.walls) if c.walls else None,
                            "rss_mb": max(c.rss_kb) / 1024 if c.rss_kb else None,
                            "findings": (sum(1 for v in c.output if v.get("rule_name") != "syntax-error") if c.kind == "squawk"
                                         else len(c.output.get("findings", []))),
                            "parse_errors": (sum(1 for v in c.output if v.get("rule_name") == "syntax-error") if c.kind == "squawk"
                                             else len(c.output.get("errors", [])))}
                        for k, c in s["configs"].items() if c.output is not None and not c.failure},
            "runs": s.get("runs"),
        } for s in inputs],
    }
    with open(os.path.join(args.work, "comparison.json"), "w") as f:
        json.dump(dump, f, indent=1)
    sys.stdout.write(short)
    print(f"\nbench: full results in {os.path.join(args.work, 'results.md')} and comparison.json", file=sys.stderr)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
