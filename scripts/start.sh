#!/usr/bin/env bash
# npm start: install what is missing, start the embedded stack and every service, put the demo
# data in, and say where everything listens.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$s3p_root"

ensure_node_modules
ensure_stack_tools
npx turbo run build --output-logs=errors-only
infra() { bash infra/local/bin/infra "$@"; }
infra up
infra services-up
infra demo-data
portal="http://127.0.0.1:${S3P_PORTAL_PORT:-8080}"
cat <<TXT

The S3 Pilot Platform is running.

  Portal (web)     ${portal}   sign in as manager, region-bg41, reviewer1, approver1,
                   expert01 or auditor (password: demo)
  API documents    ${portal}/api/openapi.json
  Demo users       ${portal}/api/auth/demo-users   (password: demo)
  Sign in          curl -s ${portal}/api/auth/token -H 'content-type: application/json' \\
                     -d '{"username":"manager","password":"demo"}'

  Kafka            127.0.0.1:${S3P_KAFKA_PORT:-9092}
  MongoDB API      mongodb://127.0.0.1:${S3P_MONGO_PORT:-27017}   (FerretDB, SQLite backend)
  Temporal         127.0.0.1:${S3P_TEMPORAL_PORT:-7233}   UI http://127.0.0.1:${S3P_TEMPORAL_UI_PORT:-8233}
  Mail (Mailpit)   http://127.0.0.1:${S3P_MAILPIT_HTTP_PORT:-8025}   SMTP smtp://127.0.0.1:${S3P_MAILPIT_SMTP_PORT:-1025}

Logs: npm run infra:logs    Status: npm run infra:status    Stop: npm stop
TXT
