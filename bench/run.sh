#!/usr/bin/env bash
# npm run bench: install what is missing, build, start the stack (or use the one given, as
# `npm test` does), run the benchmark, stop what it started.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$s3p_root"

ensure_node_modules
say "build"
npx turbo run build --output-logs=errors-only
start_stack_until_exit
ensure_chromium
say "benchmark"
npm run --silent --workspace @s3p/bench bench -- "$@"
