#!/usr/bin/env bash
# npm start: install what is missing, start the embedded stack, and say where everything listens.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$s3p_root"

ensure_node_modules
ensure_stack_tools
npx turbo run build --output-logs=errors-only
bash infra/local/bin/infra up
echo
bash infra/local/bin/infra status || true
cat <<TXT

The embedded stack is running:
  Kafka            127.0.0.1:${S3P_KAFKA_PORT:-9092}
  MongoDB API      mongodb://127.0.0.1:${S3P_MONGO_PORT:-27017}   (FerretDB, SQLite backend)
  Temporal         127.0.0.1:${S3P_TEMPORAL_PORT:-7233}   UI http://127.0.0.1:${S3P_TEMPORAL_UI_PORT:-8233}

Logs: npm run infra:logs    Status: npm run infra:status    Stop: npm stop
TXT
