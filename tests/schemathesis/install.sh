#!/usr/bin/env bash
# Installs schemathesis (pinned, from PyPI) into a virtualenv in the build cache, shared across
# clones like the stack's own downloads, only when it is missing. Prints the path of the
# schemathesis executable on stdout; everything else goes to stderr.
set -euo pipefail
source "$(dirname "$0")/../../scripts/lib.sh"

schemathesis_version="4.32.5"
venv="${S3P_CACHE_DIR:-$HOME/.cache/s3-pilot}/schemathesis-$schemathesis_version"
executable="$venv/bin/schemathesis"

if [ ! -x "$executable" ]; then
  command -v python3 >/dev/null 2>&1 || apt_install python3 python3-venv
  python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' \
    || die "schemathesis $schemathesis_version needs Python 3.9+ (found $(python3 --version))"
  python3 -c 'import ensurepip' 2>/dev/null || apt_install python3-venv
  say "installing schemathesis $schemathesis_version into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  # The executable appears only once pip has installed everything, so a broken install is retried.
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$schemathesis_version" >&2 \
    || { rm -rf "$venv"; die "could not install schemathesis $schemathesis_version from PyPI"; }
fi
printf '%s\n' "$executable"
