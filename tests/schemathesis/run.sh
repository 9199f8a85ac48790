#!/usr/bin/env bash
# npm run schemathesis: install what is missing, build, start the stack (or use the one given, as
# `npm test` does), run schemathesis at full length against the platform for every role, write
# tests/schemathesis/results/<date>.md, stop what it started.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$s3p_root"

ensure_node_modules
run_dir="$(mktemp -d)"
cleanup() {
  local status=$?
  if [ -s "$run_dir/started" ]; then
    node packages/testkit/dist/stack-cli.js down --started-file "$run_dir/started" || true
  fi
  rm -rf "$run_dir"
  exit $status
}
trap cleanup EXIT INT TERM

say "build"
npx turbo run build --output-logs=errors-only
ensure_stack_tools
node packages/testkit/dist/stack-cli.js up --endpoints-file "$run_dir/env" --started-file "$run_dir/started"
# shellcheck disable=SC1091
source "$run_dir/env"
bash tests/schemathesis/install.sh >/dev/null
say "schemathesis"
npm run --silent --workspace @s3p/schemathesis schemathesis -- "$@"
