#!/usr/bin/env python3
"""Whole-process latency of the session gates of `proagent-backend hook`.

A git repository of 5,000 files (1,000 SQL migrations, the rest Python,
TypeScript and Markdown, generated, committed) stands for a real project.

  post-tool-use   PreToolUse takes its snapshot (timed too), a "command"
                  rewrites 3 migrations, PostToolUse finds and reviews them
                  (target: p50 <= 20 ms)
  stop            a session changed 50 migrations; Stop reviews the change
                  (target: <= 300 ms)
  commit          `git commit` with 3 staged migrations

Every call is a new process fed the hook payload on stdin, as Claude Code
does. Usage: session_gates.py --ours BIN [--runs N] [--idle-wait S] [--out FILE]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench import IdleWaiter, machine_desc  # noqa: E402
from hook_latency import emit, git  # noqa: E402

FILES = 5000
SQL_FILES = 1000
TARGETS = {"post-tool-use": 20.0, "stop": 300.0}


def make_repo(root):
    for i in range(FILES):
        if i < SQL_FILES:
            path = os.path.join(root, "db", "migrations", f"{i:04d}_step.sql")
            text = (f"SET lock_timeout = '2s';\nCREATE TABLE t{i} (id bigint GENERATED ALWAYS AS IDENTITY "
                    f"PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());\n")
        elif i % 3 == 0:
            path = os.path.join(root, "app", f"pkg{i % 40}", f"mod{i}.py")
            text = f"def handler_{i}(request):\n    return {{'id': {i}}}\n"
        elif i % 3 == 1:
            path = os.path.join(root, "web", f"dir{i % 40}", f"mod{i}.ts")
            text = f"export function handler{i}(id: number) {{ return {{ id }}; }}\n"
        else:
            path = os.path.join(root, "docs", f"d{i % 40}", f"note{i}.md")
            text = f"# Note {i}\n"
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "init")


def call(ours, root, state, payload):
    start = time.perf_counter()
    done = subprocess.run([ours, "hook"], input=json.dumps(payload).encode(), capture_output=True, cwd=root,
                          env=dict(os.environ, XDG_STATE_HOME=state))
    wall = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        raise SystemExit(f"session_gates: hook exited {done.returncode}: {done.stderr.decode()[:300]}")
    out = done.stdout.decode()
    decision = "block" if '"block"' in out or '"deny"' in out else "context" if out.strip() else "allow"
    return wall, decision


def summary(walls):
    walls = sorted(walls)
    return {"p50": statistics.median(walls), "p99": walls[min(len(walls) - 1, int(len(walls) * 0.99))],
            "max": walls[-1]}


def rewrite(root, names, unsafe):
    for n in names:
        with open(os.path.join(root, "db", "migrations", n), "a") as f:
            f.write("CREATE INDEX idx_x ON users (email);\n" if unsafe else "SELECT 1;\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ours", required=True)
    ap.add_argument("--runs", type=int, default=50)
    ap.add_argument("--idle-wait", type=int, default=120)
    ap.add_argument("--out")
    args = ap.parse_args()
    ours = os.path.abspath(args.ours)
    work = tempfile.mkdtemp(prefix="pab-gates-bench-")
    root, state = os.path.join(work, "repo"), os.path.join(work, "state")
    results = {}
    try:
        make_repo(root)
        names = sorted(os.listdir(os.path.join(root, "db", "migrations")))
        IdleWaiter(args.idle_wait).wait("session gates")
        base = {"transcript_path": "/dev/null", "cwd": root}
        pre, post, decisions = [], [], set()
        for i in range(args.runs):
            sid = f"post-{i}"
            bash = dict(base, session_id=sid, tool_name="Bash", tool_use_id=f"t{i}",
                        tool_input={"command": "python scripts/regen.py"})
            wall, _ = call(ours, root, state, dict(bash, hook_event_name="PreToolUse"))
            pre.append(wall)
            rewrite(root, names[i % 300: i % 300 + 3], unsafe=i % 2 == 0)
            wall, decision = call(ours, root, state, dict(bash, hook_event_name="PostToolUse"))
            post.append(wall)
            decisions.add(decision)
            git(root, "checkout", "-q", "--", ".")
        results["pre-tool-use"] = (summary(pre), "snapshot before a Bash call (git status of 5,000 files)", [])
        results["post-tool-use"] = (summary(post), "3 migrations rewritten by the command", sorted(decisions))

        stops, decisions = [], set()
        for i in range(max(5, args.runs // 5)):
            sid = f"stop-{i}"
            call(ours, root, state, dict(base, session_id=sid, hook_event_name="SessionStart"))
            rewrite(root, names[:50], unsafe=True)
            wall, decision = call(ours, root, state, dict(base, session_id=sid, hook_event_name="Stop",
                                                          stop_hook_active=False))
            stops.append(wall)
            decisions.add(decision)
            git(root, "checkout", "-q", "--", ".")
        results["stop"] = (summary(stops), "50 migrations changed in the session", sorted(decisions))

        commits, decisions = [], set()
        rewrite(root, names[:3], unsafe=True)
        git(root, "add", ".")
        for i in range(args.runs):
            wall, decision = call(ours, root, state, dict(base, session_id="commit", tool_name="Bash",
                                                          tool_use_id=f"c{i}", hook_event_name="PreToolUse",
                                                          tool_input={"command": "git commit -m x"}))
            commits.append(wall)
            decisions.add(decision)
        results["commit"] = (summary(commits), "`git commit` with 3 staged migrations", sorted(decisions))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    out = [f"Session gates, whole process, {args.runs} calls per case (Stop: {max(5, args.runs // 5)}), "
           f"repository of {FILES:,} files ({SQL_FILES:,} SQL); machine: {machine_desc()}.", "",
           "| case | change | p50 ms | p99 ms | max ms | decisions | target |", "|---|---|---:|---:|---:|---|---|"]
    for key, (s, desc, decisions) in results.items():
        target = TARGETS.get(key)
        met = "—" if target is None else (f"≤ {target:.0f} ms: " + (
            "met" if (s["p50"] if key != "stop" else s["max"]) <= target else "**not met**"))
        out.append(f"| {key} | {desc} | {s['p50']:.1f} | {s['p99']:.1f} | {s['max']:.1f} | "
                   f"{', '.join(decisions) or '—'} | {met} |")
    emit(out, args.out)


if __name__ == "__main__":
    main()
