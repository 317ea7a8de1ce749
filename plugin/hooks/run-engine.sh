#!/usr/bin/env sh
# Runs the proagent-backend engine for a Claude Code hook or MCP server. The
# engine is found next to the plugin (bin/ under CLAUDE_PLUGIN_ROOT) or on PATH.
# When it is missing, a hook allows everything: a missing engine never blocks
# work, and the SessionStart call says, once, how to install it. The MCP server
# (`mcp`) instead exits non-zero with the reason on stderr.
engine=""
for candidate in "${CLAUDE_PLUGIN_ROOT:-}/bin/proagent-backend" "$(command -v proagent-backend 2>/dev/null)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    engine="$candidate"
    break
  fi
done
if [ "${1:-}" = "session-start" ]; then
  if [ -n "$engine" ]; then
    # Records where the session starts, for the Stop gate.
    exec "$engine" hook
  fi
  cat >/dev/null
  echo "proagent-backend: the review engine is not installed, so edits are not checked. Install it with \`cargo install --path crates/proagent-backend\` from the proagent-backend repository (or put the binary on PATH)."
  exit 0
fi
if [ -n "$engine" ]; then
  exec "$engine" "$@"
fi
if [ "${1:-}" = "mcp" ]; then
  # An MCP server that cannot start must fail loudly: Claude Code then shows
  # the server as failed, with this line, instead of a server that never answers.
  echo "proagent-backend: the review engine is not installed, so its MCP server cannot start. Install it with \`cargo install --path crates/proagent-backend\` from the proagent-backend repository (or put the binary on PATH or in ${CLAUDE_PLUGIN_ROOT:-<plugin>}/bin/)." >&2
  exit 127
fi
cat >/dev/null
exit 0
