#!/usr/bin/env bash
# Install what the dashboard needs (into .venv) and start it on the bundled sample corpus.
# It listens on this machine only (127.0.0.1); see the README to share it on a network.
# --read-only hides the Add articles page (no upload, remove or set-date); other extra
# arguments go to `streamlit run` (e.g. --server.port 8600, --server.address 0.0.0.0).
args=()
for a in "$@"; do
  if [ "$a" = "--read-only" ]; then export RUSKOR_READ_ONLY=1; else args+=("$a"); fi
done
source "$(dirname "$0")/_venv.sh" requirements.txt
exec .venv/bin/python -m streamlit run app.py --server.address 127.0.0.1 "${args[@]}"
