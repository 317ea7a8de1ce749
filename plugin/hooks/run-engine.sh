#!/usr/bin/env sh
# Runs the proagent-backend engine for a Claude Code hook. The engine is found
# next to the plugin (bin/ under CLAUDE_PLUGIN_ROOT) or on PATH. When it is
# missing, the hook allows everything: a missing engine never blocks work, and
# the SessionStart call says, once, how to install it.
engine=""
for candidate in "${CLAUDE_PLUGIN_ROOT:-}/bin/proagent-backend" "$(command -v proagent-backend 2>/dev/null)"; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then
    engine="$candidate"
    break
  fi
done
if [ "${1:-}" = "session-start" ]; then
  cat >/dev/null
  if [ -z "$engine" ]; then
    echo "proagent-backend: the review engine is not installed, so edits are not checked. Install it with \`cargo install --path crates/proagent-backend\` from the proagent-backend repository (or put the binary on PATH)."
  fi
  exit 0
fi
if [ -n "$engine" ]; then
  exec "$engine" "$@"
fi
cat >/dev/null
exit 0
