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
      echo "Debian 13 and Ubuntu 24.04 ship it: 'apt-get install python3 python3-venv'." >&2
      echo "Debian 12 ships only 3.11: install pyenv, run 'pyenv install 3.12' here, or use the container (docs/operating.md, \"Containers\"). Then run this again." >&2
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

# Write a development .env on the first run, so that `.venv/bin/python manage.py <command>`
# works afterwards exactly as the README and docs/ print it (the settings read .env; a variable set in
# the environment still wins).
ensure_dotenv() {
  local file="$ROOT/.env" key
  [ -e "$file" ] && return 0
  key="$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(50))')"
  (
    umask 077
    cat >"$file" <<EOF_ENV
# Development settings, written by scripts/serve on its first run. Every variable is described
# in .env.example; for production write your own .env from that file instead.
DJANGO_DEBUG=1
DJANGO_SECRET_KEY=$key
DJANGO_SITE_URL=http://127.0.0.1:8000
# Empty: SQLite in the project folder (db.sqlite3).
DATABASE_URL=
EOF_ENV
  )
  echo "Wrote .env with development settings (DJANGO_DEBUG=1, SQLite in db.sqlite3)."
}

# scripts/serve publishes unreviewed content and creates demo logins: never against a .env
# that holds production settings.
refuse_production_dotenv() {
  [ -z "${DJANGO_DEBUG:-}" ] || return 0
  local debug
  debug="$("$VENV/bin/python" -c 'import sys; from dotenv import dotenv_values; print(dotenv_values(sys.argv[1]).get("DJANGO_DEBUG") or "")' "$ROOT/.env")"
  case "${debug,,}" in
    1 | true | yes | on) return 0 ;;
  esac
  echo "scripts/serve is the development server, but .env holds other settings (DJANGO_DEBUG=${debug:-unset})." >&2
  echo "Serve production with gunicorn (docs/operating.md, \"With plain gunicorn\"); for development set DJANGO_DEBUG=1 in .env, or move .env aside and run this again to get a new one." >&2
  exit 1
}
