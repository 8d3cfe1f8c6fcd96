#!/bin/sh
# Prints a Python 3.10 interpreter (Rasa 3.6 does not install on 3.11+):
# $PYTHON if set, else python3.10 on PATH, else the newest pyenv 3.10.
set -e
for candidate in "${PYTHON:-}" python3.10; do
  [ -n "$candidate" ] || continue
  if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
    command -v "$candidate"; exit 0
  fi
done
root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for candidate in $(ls -d "$root"/versions/3.10.*/bin/python 2>/dev/null | sort -V -r); do
  "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' && { echo "$candidate"; exit 0; }
done
echo "Python 3.10 not found: install it (pyenv install 3.10) or set PYTHON=/path/to/python3.10" >&2
exit 1
