#!/usr/bin/env python3
"""Whole-process latency of `proagent-backend hook`, as Claude Code sees it.

Every call starts the binary, feeds it one PreToolUse payload on stdin and
waits for it to exit, exactly what Claude Code does before each Edit or
Bash call. Cases:

  edit-sql        Edit in the middle of a 1,000-line migration
                  (bench/gen_migration.py, deterministic); half the edits add
                  an unsafe statement (denied), half a safe one (allowed)
  edit-sql-real   the same on procrastinate's schema.sql (PyPI wheel), when
                  bench/run has fetched it
  edit-python     Edit in a 1,000-line FastAPI-style module (generated)
  edit-ts         Edit in a 1,000-line Express-style module (generated)
  bash-other      Bash call that applies no migration (`git status && ...`)
  bash-migrate    `sqlx migrate run` with one pending 1,000-line migration
                  in a git repository

The peer is squawk on the edited SQL file (what a squawk-based hook would
cost per call, reviewing only the new version): same input, same run.

Usage: hook_latency.py --ours BIN [--squawk BIN] [--runs N] [--idle-wait S]
                       [--real-sql FILE] [--out FILE]
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench import IdleWaiter, machine_desc  # noqa: E402

TARGET = {"p50": 5.0, "p99": 15.0}
LINES = 1000


def sql_file():
    out = subprocess.run([sys.executable, os.path.join(HERE, "gen_migration.py"), "--statements", "600",
                          "--seed", "11"], capture_output=True, text=True, check=True).stdout
    lines = out.split("\n")[:LINES]
    while lines and not lines[-1].rstrip().endswith(";"):
        lines.pop()
    return "\n".join(lines) + "\n"


def python_file(rng):
    out = ["from fastapi import APIRouter, Depends, HTTPException", "from sqlalchemy import select, text",
           "from .db import get_session", "from .models import Order, User", "", "router = APIRouter()", ""]
    i = 0
    while len(out) < LINES - 12:
        name = f"{rng.choice(['order', 'user', 'invoice', 'payment'])}_{i}"
        out += [
            f"@router.get('/api/v1/{name}s/{{item_id}}')",
            f"async def get_{name}(item_id: int, session=Depends(get_session)):",
            f"    row = await session.execute(select(Order).where(Order.id == item_id))",
            "    item = row.scalar_one_or_none()",
            "    if item is None:",
            f"        raise HTTPException(status_code=404, detail='{name} not found')",
            f"    total = sum(line.amount for line in item.lines)  # {name} lines",
            "    return {'id': item.id, 'total': total, 'status': item.status}",
            "",
        ]
        i += 1
    return "\n".join(out[:LINES]) + "\n"


def ts_file(rng):
    out = ["import { Router, Request, Response } from 'express';", "import { pool } from './db';", "",
           "export const router = Router();", ""]
    i = 0
    while len(out) < LINES - 12:
        name = f"{rng.choice(['order', 'user', 'invoice', 'payment'])}{i}"
        out += [
            f"router.get('/api/v1/{name}s/:id', async (req: Request, res: Response) => {{",
            "  const id = Number(req.params.id);",
            f"  const result = await pool.query('SELECT id, status, total FROM {name}s WHERE id = $1', [id]);",
            "  if (result.rowCount === 0) {",
            f"    return res.status(404).json({{ error: '{name} not found' }});",
            "  }",
            f"  const row = result.rows[0]; // first {name}",
            "  return res.json({ id: row.id, status: row.status, total: Number(row.total) });",
            "});",
            "",
        ]
        i += 1
    return "\n".join(out[:LINES]) + "\n"


def edits(text, unsafe, safe, anchor, n=8):
    """Edit payload inputs: a line from the middle third (one `anchor`
    accepts, unique in the file, so that the edit applies; from anywhere when
    the middle has none) replaced by itself
    plus an unsafe or a safe addition, alternating."""
    lines = text.split("\n")
    middle = lines[len(lines) // 3: 2 * len(lines) // 3]
    candidates = ([l for l in middle if anchor(l) and text.count(l) == 1]
                  or [l for l in lines if anchor(l) and text.count(l) == 1])
    if not candidates:
        raise SystemExit("hook_latency: no line to edit in the middle of an input")
    out = []
    for k in range(n):
        line = candidates[k * len(candidates) // n]
        extra = unsafe if k % 2 == 0 else safe
        out.append({"old_string": line, "new_string": line + "\n" + extra})
    return out


def top_level_statement_end(line):
    return (bool(line) and not line[0].isspace() and line.rstrip().endswith(";")
            and line.strip().upper() != "END;")


def function_body_line(line):
    return line.startswith("    ") and not line.startswith("     ") and not line.rstrip().endswith((":", "{", "(", ","))


def payload(tool, tool_input, cwd):
    return json.dumps({"session_id": "bench", "transcript_path": "/dev/null", "cwd": cwd,
                       "hook_event_name": "PreToolUse", "tool_name": tool, "tool_input": tool_input}).encode()


def time_calls(argv, stdins, runs, cwd):
    walls = []
    outputs = set()
    for i in range(runs):
        stdin = stdins[i % len(stdins)]
        start = time.perf_counter()
        done = subprocess.run(argv, input=stdin, capture_output=True, cwd=cwd)
        walls.append((time.perf_counter() - start) * 1000)
        if done.returncode not in (0, 1):
            raise SystemExit(f"hook_latency: {argv[0]} exited {done.returncode}: {done.stderr.decode()[:300]}")
        outputs.add("deny" if b'"deny"' in done.stdout else "context" if b"additionalContext" in done.stdout
                    else "allow")
    walls.sort()
    return {"p50": statistics.median(walls), "p99": walls[min(len(walls) - 1, int(len(walls) * 0.99))],
            "min": walls[0], "decisions": sorted(outputs)}


def emit(lines, path):
    """Prints a result table and writes it to `path` when given."""
    text = "\n".join(lines) + "\n"
    print(text)
    if path:
        with open(path, "w") as f:
            f.write(text)


def git(cwd, *args):
    subprocess.run(["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", *args], cwd=cwd,
                   check=True, capture_output=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ours", required=True)
    ap.add_argument("--squawk")
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--idle-wait", type=int, default=120)
    ap.add_argument("--real-sql")
    ap.add_argument("--out")
    args = ap.parse_args()
    ours = os.path.abspath(args.ours)
    squawk = os.path.abspath(args.squawk) if args.squawk else None
    rng = random.Random(5)
    work = tempfile.mkdtemp(prefix="pab-hook-bench-")
    cases = []
    try:
        sql = sql_file()
        unsafe_sql = "CREATE INDEX idx_bench ON accounts (created_at);"
        safe_sql = "CREATE INDEX CONCURRENTLY idx_bench ON accounts (created_at);"
        inputs = [("edit-sql", "migration.sql", sql, unsafe_sql, safe_sql, top_level_statement_end,
                   "generated 1,000-line migration")]
        if args.real_sql and os.path.exists(args.real_sql):
            with open(args.real_sql) as f:
                real = f.read()
            inputs.append(("edit-sql-real", "schema.sql", real, unsafe_sql, safe_sql, top_level_statement_end,
                           f"{os.path.basename(args.real_sql)} ({real.count(chr(10))} lines, procrastinate)"))
        inputs += [
            ("edit-python", "orders.py", python_file(rng),
             "    rows = await session.execute(text(f'SELECT * FROM orders WHERE id = {item_id}'))",
             "    rows = await session.execute(text('SELECT * FROM orders WHERE id = :id'), {'id': item_id})",
             function_body_line, "generated 1,000-line FastAPI module"),
            ("edit-ts", "orders.ts", ts_file(rng),
             "  await pool.query(`SELECT * FROM orders WHERE id = ${req.params.id}`);",
             "  await pool.query('SELECT * FROM orders WHERE id = $1', [req.params.id]);",
             lambda l: l.startswith("  const row"), "generated 1,000-line Express module"),
        ]
        for key, name, text, unsafe, safe, anchor, desc in inputs:
            d = os.path.join(work, key)
            os.makedirs(d)
            path = os.path.join(d, name)
            with open(path, "w") as f:
                f.write(text)
            stdins = [payload("Edit", {"file_path": path, **e}, d) for e in edits(text, unsafe, safe, anchor)]
            cases.append({"key": key, "desc": desc, "lines": text.count("\n"), "cwd": d, "stdins": stdins,
                          "squawk_file": path if name.endswith(".sql") else None})
        # Bash: a command that applies nothing, and sqlx with one pending migration.
        d = os.path.join(work, "bash")
        os.makedirs(os.path.join(d, "migrations"))
        with open(os.path.join(d, "migrations", "0001_init.sql"), "w") as f:
            f.write("CREATE TABLE t (id bigint PRIMARY KEY);\n")
        git(d, "init", "-q")
        git(d, "add", ".")
        git(d, "commit", "-q", "-m", "init")
        with open(os.path.join(d, "migrations", "0002_pending.sql"), "w") as f:
            f.write(sql)
        cases.append({"key": "bash-other", "desc": "`git status && cargo test` (no migration)", "lines": 0,
                      "cwd": d, "stdins": [payload("Bash", {"command": "git status && cargo test"}, d)],
                      "squawk_file": None})
        cases.append({"key": "bash-migrate", "desc": "`sqlx migrate run`, one pending 1,000-line file (git)",
                      "lines": sql.count("\n"), "cwd": d,
                      "stdins": [payload("Bash", {"command": "sqlx migrate run"}, d)], "squawk_file": None})

        waiter = IdleWaiter(args.idle_wait)
        rows = []
        for c in cases:
            waiter.wait(c["key"])
            time_calls([ours, "hook"], c["stdins"], 5, c["cwd"])  # warm the page cache
            r = time_calls([ours, "hook"], c["stdins"], args.runs, c["cwd"])
            peer = None
            if squawk and c["squawk_file"]:
                peer = time_calls([squawk, c["squawk_file"]], [b""], max(20, args.runs // 5), c["cwd"])
            rows.append((c, r, peer))
            print(f"hook_latency: {c['key']}: p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms"
                  + (f"; squawk p50 {peer['p50']:.1f} ms" if peer else ""), file=sys.stderr)
        spawn = time_calls(["/bin/true"], [b""], 100, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    out = [f"Hook latency, whole process, {args.runs} calls per case; machine: {machine_desc()}.",
           f"Starting any process costs {spawn['p50']:.1f} ms here (`/bin/true`, p50). "
           f"Target for edits: p50 ≤ {TARGET['p50']:.0f} ms, p99 ≤ {TARGET['p99']:.0f} ms.", "",
           "| case | input | p50 ms | p99 ms | decisions | squawk p50 ms | squawk ÷ ours | target |",
           "|---|---|---:|---:|---|---:|---:|---|"]
    for c, r, peer in rows:
        met = "—" if c["key"].startswith("bash") else (
            "met" if r["p50"] <= TARGET["p50"] and r["p99"] <= TARGET["p99"] else "**not met**")
        out.append(f"| {c['key']} | {c['desc']} | {r['p50']:.1f} | {r['p99']:.1f} | {', '.join(r['decisions'])} | "
                   + (f"{peer['p50']:.1f} | {peer['p50'] / r['p50']:.2f}× | " if peer else "— | — | ") + f"{met} |")
    emit(out, args.out)


if __name__ == "__main__":
    main()
