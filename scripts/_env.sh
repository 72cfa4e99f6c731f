# Shared by scripts/serve and scripts/test: find Python 3.12+ and keep .venv up to date.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"

find_python() {
  local candidate
  # pyenv honours .python-version; then the usual names on Debian.
  for candidate in "$(command -v pyenv >/dev/null 2>&1 && pyenv which python 2>/dev/null || true)" \
                   python3.13 python3.12 python3 python; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

ensure_venv() {
  local extras="$1"
  if [ ! -x "$VENV/bin/python" ]; then
    local python
    if ! python="$(find_python)"; then
      echo "kratom_info needs Python 3.12 or newer (Django 6.1 requires it)." >&2
      echo "Install it, e.g. 'apt-get install python3.12 python3.12-venv' or 'pyenv install 3.12', then run this again." >&2
      exit 1
    fi
    echo "Creating .venv with $python"
    "$python" -m venv "$VENV"
  fi
  # Reinstall only when pyproject.toml changed, so a second run is quick.
  local stamp="$VENV/.installed-$extras-$(sha256sum pyproject.toml | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e ".[$extras]"
    rm -f "$VENV"/.installed-*
    touch "$stamp"
  fi
}
