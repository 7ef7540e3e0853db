#!/usr/bin/env bash
# Install what the tests need (pip packages into .venv, Debian's chromium for the browser
# test) and run the whole suite: ruff (lint, then the format check), then pytest. Extra arguments go to pytest.
# apt waits up to 5 minutes for another apt-get to release its lock; if chromium still cannot be
# installed, the browser tests are skipped with a message and the rest of the suite runs.
source "$(dirname "$0")/_venv.sh" requirements-dev.txt
APT_OPTS=(-o DPkg::Lock::Timeout=300 -o Acquire::Retries=3)
if [ ! -x /usr/bin/chromium ]; then
  sudo_cmd=()
  if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then sudo_cmd=(sudo); fi
  if command -v apt-get >/dev/null && { [ "$(id -u)" = 0 ] || [ ${#sudo_cmd[@]} -gt 0 ]; }; then
    echo "installing Debian's chromium for the browser tests..." >&2
    if ! { "${sudo_cmd[@]}" apt-get "${APT_OPTS[@]}" update -qq &&
           "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "${APT_OPTS[@]}" install -y -qq chromium >/dev/null; }; then
      echo "warning: chromium could not be installed (apt failed or stayed locked); the browser tests will be skipped" >&2
    fi
  else
    echo "warning: /usr/bin/chromium is missing; the browser tests will be skipped" >&2
  fi
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .  # formatting is enforced: run `.venv/bin/ruff format .` before committing
set +e
.venv/bin/python -m pytest "$@"
code=$?
set -e
if [ "$code" = 5 ]; then
  echo "error: pytest collected no tests" >&2
  exit 1
fi
exit "$code"
