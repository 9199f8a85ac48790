# Shared by scripts/*.sh and infra/local/bin/infra: install what a fresh machine lacks.
# Sourced, not run.

s3p_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

say() { printf '\033[1m[s3p]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[s3p] %s\033[0m\n' "$*" >&2; exit 1; }

# Debian packages for tools the embedded stack needs, installed only where missing and only when
# we may (root with apt-get); elsewhere a clear message says what to install.
apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing $* (apt-get)"
    if [ -z "${S3P_APT_UPDATED:-}" ]; then
      DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
      export S3P_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  else
    die "please install: $*"
  fi
}

ensure_node() {
  command -v node >/dev/null 2>&1 || die "Node.js 20.3+ is required"
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=3)?0:1)' \
    || die "Node.js 20.3+ is required (found $(node --version))"
}

# Java 17+ and Maven run Kafka from Maven Central; Go 1.22+ builds FerretDB, the Temporal CLI and
# Mailpit (whose web UI npm builds).
ensure_stack_tools() {
  if ! command -v java >/dev/null 2>&1; then apt_install openjdk-17-jre-headless; fi
  if ! command -v mvn >/dev/null 2>&1; then apt_install maven; fi
  if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then export PATH="$PATH:/usr/local/go/bin"; fi
  command -v go >/dev/null 2>&1 || die "Go 1.22+ is required to build FerretDB, the Temporal CLI and Mailpit (https://go.dev/dl)"
}

# Installs the locked npm dependencies when node_modules is missing or the lock file changed
# since the last install (a hash of the lock, not file times, which npm itself rewrites).
# 'npm install' rather than 'npm ci': some registry mirrors lack other platforms' optional
# binaries (@swc/core-darwin-*, @unrs/resolver-binding-*), so the lock cannot list them and
# 'npm ci' refuses it; 'npm install' still installs exactly the locked versions.
ensure_node_modules() {
  ensure_node
  local stamp="$s3p_root/node_modules/.s3p-lock-hash" wanted
  wanted="$(sha256sum "$s3p_root/package-lock.json" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    say "installing npm dependencies"
    (cd "$s3p_root" && npm install --no-audit --no-fund --loglevel=error) >&2
    sha256sum "$s3p_root/package-lock.json" | cut -d' ' -f1 > "$stamp"
  fi
}

# Debian's Chromium for the browser tests (playwright-core drives it; no test tool downloads a
# browser of its own).
ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then apt_install chromium; fi
  [ -x /usr/bin/chromium ] || die "Chromium is required at /usr/bin/chromium for the browser tests (Debian package chromium)"
}

# The stack for the script that calls it (after the build, whose testkit CLI it runs): the parts
# the environment does not give (KAFKA_BROKERS, MONGODB_URI, TEMPORAL_ADDRESS, SMTP_URL with
# MAILPIT_URL) are started, every endpoint is exported, and what was started stops when the script
# exits, however it exits.
start_stack_until_exit() {
  s3p_run_dir="$(mktemp -d)"
  trap stop_started_stack EXIT INT TERM
  ensure_stack_tools
  node "$s3p_root/packages/testkit/dist/stack-cli.js" up \
    --endpoints-file "$s3p_run_dir/env" --started-file "$s3p_run_dir/started"
  # shellcheck disable=SC1091
  source "$s3p_run_dir/env"
}

stop_started_stack() {
  local status=$?
  if [ -s "$s3p_run_dir/started" ]; then
    say "stopping what was started: $(tr '\n' ' ' < "$s3p_run_dir/started")"
    node "$s3p_root/packages/testkit/dist/stack-cli.js" down --started-file "$s3p_run_dir/started" || true
  fi
  rm -rf "$s3p_run_dir"
  exit $status
}
