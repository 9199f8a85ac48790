#!/usr/bin/env bash
# npm test: install what is missing, start the stack it needs, run every check and test, and stop
# what it started (even on failure).
#
# Endpoints already given are used as they are, each part of the stack on its own: Kafka by
# KAFKA_BROKERS, the MongoDB API by MONGODB_URI, Temporal by TEMPORAL_ADDRESS (with
# TEMPORAL_NAMESPACE, default 'default'), Mailpit by SMTP_URL and MAILPIT_URL together (one without
# the other is an error). Each part that is not given is started (infra/local, or containers where
# a Docker engine answers) and stopped at the end; when all are given, nothing is started. So an
# environment that gives only the first three gets a Mailpit of its own.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$s3p_root"

ensure_node_modules

say "build, lint, typecheck and format check"
npx turbo run build lint typecheck --output-logs=errors-only
npx prettier --check --log-level=warn .

if [ -n "${KAFKA_BROKERS:-}" ] && [ -n "${MONGODB_URI:-}" ] && [ -n "${TEMPORAL_ADDRESS:-}" ] \
  && [ -n "${SMTP_URL:-}" ] && [ -n "${MAILPIT_URL:-}" ]; then
  say "using the stack at KAFKA_BROKERS=$KAFKA_BROKERS MONGODB_URI=$MONGODB_URI TEMPORAL_ADDRESS=$TEMPORAL_ADDRESS SMTP_URL=$SMTP_URL MAILPIT_URL=$MAILPIT_URL"
else
  # Starts only the parts not given above.
  start_stack_until_exit
fi

say "tests"
ensure_chromium
npx turbo run test --concurrency=1 -- "$@"
if [ $# -eq 0 ]; then
  say "benchmark harness (smoke: a few seconds per scenario, figures not kept)"
  npm run --silent --workspace @s3p/bench bench -- --smoke
fi
