"""Drives `proagent-backend mcp` with the official MCP Python SDK, as a real
client would: handshake, tools/list, every tool, and bad calls that must come
back as tool errors while the server keeps serving.

Usage: check_server.py BINARY PROJECT_DIR
PROJECT_DIR holds migrations/001_users.sql (creates `users`) and
migrations/002_change.sql (an unsafe change to it); the server runs there.
Any failed check raises, which exits non-zero with the reason.
"""

import asyncio
import importlib.metadata
import json
import subprocess
import sys

from mcp import Client, MCPError, StdioServerParameters

TOOLS = {"review_path", "review_content", "list_rules", "explain_rule"}
UNSAFE_ADD_COLUMN = "ALTER TABLE users ADD COLUMN x int NOT NULL DEFAULT random();\n"


def text_of(result):
    return "\n".join(block.text for block in result.content if block.type == "text")


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def rules_of(result):
    expect(not result.is_error, f"unexpected tool error: {text_of(result)}")
    report = result.structured_content
    expect(report["version"] == 1, f"not the JSON v1 report: {report}")
    return [f["rule"] for f in report["findings"]]


async def expect_tool_error(client, tool, arguments, fragment):
    result = await client.call_tool(tool, arguments)
    expect(result.is_error, f"{tool}({arguments}) should fail, got: {text_of(result)}")
    expect(fragment in text_of(result), f"{tool}({arguments}): {fragment!r} not in {text_of(result)!r}")


async def check(binary, project, mode):
    version = subprocess.run([binary, "--version"], capture_output=True, text=True, check=True).stdout.split()[-1]
    cli_rules = json.loads(
        subprocess.run([binary, "rules", "--format", "json"], capture_output=True, text=True, check=True).stdout
    )
    server = StdioServerParameters(command=binary, args=["mcp"], cwd=project)
    async with Client(server, mode=mode, read_timeout_seconds=60) as client:
        info = client.server_info
        expect(info.name == "proagent-backend" and info.version == version, f"server info: {info}")
        expect("PostgreSQL" in (client.instructions or ""), f"instructions: {client.instructions!r}")

        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        expect(set(tools) == TOOLS, f"tools: {sorted(tools)}")
        required = {name: tool.input_schema.get("required", []) for name, tool in tools.items()}
        expect(
            required
            == {
                "review_path": ["path"],
                "review_content": ["content", "filename"],
                "list_rules": [],
                "explain_rule": ["rule"],
            },
            f"required inputs: {required}",
        )
        for name, tool in tools.items():
            properties = tool.input_schema["properties"]
            expect(all(p.get("description") for p in properties.values()), f"{name}: undocumented input {properties}")
            expect(tool.output_schema is not None, f"{name} declares no output schema")
            expect(tool.annotations.read_only_hint, f"{name} is not marked read-only")
        expect(set(tools["review_path"].input_schema["properties"]) == {"path", "select", "ignore"}, "review_path inputs")

        # The client validates each structured result against the tool's
        # declared output schema, so every successful call below checks it too.
        added = rules_of(
            await client.call_tool(
                "review_content", {"content": UNSAFE_ADD_COLUMN, "filename": "migrations/003_add_x.sql"}
            )
        )
        expect("migration/add-column-with-volatile-default" in added, f"review_content: {added}")
        indexed = rules_of(
            await client.call_tool(
                "review_content",
                {"content": "CREATE INDEX i ON t(c);\n", "filename": "migrations/004.sql",
                 "ignore": ["migration/missing-lock-timeout", "migration/missing-statement-timeout"]},
            )
        )
        expect(indexed == ["migration/create-index-without-concurrently"], f"review_content with ignore: {indexed}")
        fresh = rules_of(
            await client.call_tool(
                "review_content",
                {"content": "CREATE TABLE t (id bigint PRIMARY KEY, c text);\nCREATE INDEX i ON t(c);\n",
                 "filename": "migrations/005.sql", "select": ["migration/create-index-without-concurrently"]},
            )
        )
        expect(fresh == [], f"an index on a table created in the same file is safe: {fresh}")

        reviewed = await client.call_tool("review_path", {"path": "migrations"})
        found = sorted(rules_of(reviewed))
        expect(
            found
            == [
                "migration/add-column-with-volatile-default",
                "migration/create-index-without-concurrently",
                "migration/missing-lock-timeout",
                "migration/missing-statement-timeout",
            ],
            f"review_path: {found}",
        )
        summary = reviewed.structured_content["summary"]
        expect(summary["files"] == 2 and summary["findings_by_severity"]["critical"] == 2, f"summary: {summary}")
        expect(text_of(reviewed).startswith("4 findings (2 critical"), f"text summary: {text_of(reviewed)}")
        one = rules_of(await client.call_tool("review_path", {"path": "migrations/001_users.sql"}))
        expect(one == [], f"review_path of a safe file: {one}")

        listed = await client.call_tool("list_rules", {})
        rules = listed.structured_content["rules"]
        expect(len(rules) == len(cli_rules), f"list_rules: {len(rules)} rules, `rules --format json`: {len(cli_rules)}")
        expect([r["id"] for r in rules] == [r["id"] for r in cli_rules], "list_rules and `rules` disagree on ids")
        migration = (await client.call_tool("list_rules", {"select": ["migration"]})).structured_content["rules"]
        expect(migration and all(r["area"] == "migration" for r in migration), f"list_rules select: {migration}")

        explained = await client.call_tool("explain_rule", {"rule": "migration/create-index-without-concurrently"})
        page = text_of(explained)
        expect(not explained.is_error and page.startswith("# migration/create-index-without-concurrently"), page)
        expect("CONCURRENTLY" in page and "## How to fix" in page, page)
        expect(explained.structured_content["markdown"] == page, "explain_rule: text and markdown differ")

        # Bad calls: tool errors the model can read, and the server lives on.
        await expect_tool_error(client, "explain_rule", {"rule": "create-index-without-concurrently"},
                                "did you mean `migration/create-index-without-concurrently`")
        await expect_tool_error(client, "explain_rule", {}, "missing field `rule`")
        await expect_tool_error(client, "review_path", {"path": "no/such/dir"}, "`no/such/dir` does not exist")
        await expect_tool_error(client, "review_content", {"content": "x", "filename": "notes.txt"},
                                "does not review `notes.txt`")
        await expect_tool_error(client, "review_content", {"content": "x", "filename": "a.sql", "paths": []},
                                "unknown field `paths`")
        await expect_tool_error(client, "list_rules", {"select": ["migraton"]}, "unknown rule or area `migraton`")
        try:
            await client.call_tool("no_such_tool", {})
            raise AssertionError("an unknown tool should be a protocol error")
        except MCPError as e:
            expect("not found" in str(e.error.message), f"unknown tool: {e.error}")
        again = rules_of(await client.call_tool("review_content", {"content": UNSAFE_ADD_COLUMN, "filename": "a.sql"}))
        expect(again == added, f"after the bad calls: {again}")
        return client.protocol_version, len(tools), len(rules)


async def main():
    binary, project = sys.argv[1], sys.argv[2]
    # "legacy" is the initialize handshake Claude Code uses; "auto" first
    # probes the 2026-07-28 `server/discover` and negotiates from there.
    for mode in ("legacy", "auto"):
        protocol, tools, rules = await check(binary, project, mode)
        sdk = importlib.metadata.version("mcp")
        print(f"mcp {sdk}, {mode} mode, protocol {protocol}: {tools} tools, {rules} rules, all checks passed")


asyncio.run(main())
