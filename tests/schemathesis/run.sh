#!/usr/bin/env bash
# npm run schemathesis: install what is missing, build, start the stack (or use the one given, as
# `npm test` does), run schemathesis at full length against the platform for every role, write
# tests/schemathesis/results/<date>.md, stop what it started.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"
cd "$s3p_root"

ensure_node_modules
say "build"
npx turbo run build --output-logs=errors-only
start_stack_until_exit
bash tests/schemathesis/install.sh >/dev/null
say "schemathesis"
npm run --silent --workspace @s3p/schemathesis schemathesis -- "$@"
