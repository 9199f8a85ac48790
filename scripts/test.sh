#!/usr/bin/env bash
# npm test: install what is missing, start the stack it needs, run every check and test, and stop
# what it started (even on failure). Endpoints already given in KAFKA_BROKERS, MONGODB_URI and
# TEMPORAL_ADDRESS are used as they are.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$s3p_root"

ensure_node_modules
run_dir="$(mktemp -d)"
cleanup() {
  local status=$?
  if [ -s "$run_dir/started" ]; then
    say "stopping what the tests started: $(tr '\n' ' ' < "$run_dir/started")"
    node packages/testkit/dist/stack-cli.js down --started-file "$run_dir/started" || true
  fi
  rm -rf "$run_dir"
  exit $status
}
trap cleanup EXIT INT TERM

say "build, lint, typecheck and format check"
npx turbo run build lint typecheck --output-logs=errors-only
npx prettier --check --log-level=warn .

if [ -n "${KAFKA_BROKERS:-}" ] && [ -n "${MONGODB_URI:-}" ] && [ -n "${TEMPORAL_ADDRESS:-}" ]; then
  say "using the stack at KAFKA_BROKERS=$KAFKA_BROKERS MONGODB_URI=$MONGODB_URI TEMPORAL_ADDRESS=$TEMPORAL_ADDRESS"
else
  ensure_stack_tools
  node packages/testkit/dist/stack-cli.js up --endpoints-file "$run_dir/env" --started-file "$run_dir/started"
  # shellcheck disable=SC1091
  source "$run_dir/env"
fi

say "tests"
npx turbo run test --concurrency=1 -- "$@"
