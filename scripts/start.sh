#!/usr/bin/env bash
# Install what the dashboard needs (into .venv) and start it on the bundled sample corpus.
# Extra arguments go to `streamlit run` (e.g. --server.port 8600).
source "$(dirname "$0")/_venv.sh" requirements.txt
exec .venv/bin/python -m streamlit run app.py "$@"
