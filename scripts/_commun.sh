# Shared by scripts/run.sh and scripts/test.sh: Debian packages and the virtualenv.
# shellcheck shell=bash

installer_paquets_debian() {
  # $@: Debian packages needed; installed only when missing (needs root, as on CI).
  local manquants=()
  for paquet in "$@"; do
    dpkg-query -W -f='${Status}' "$paquet" 2>/dev/null | grep -q "install ok installed" || manquants+=("$paquet")
  done
  if ((${#manquants[@]})); then
    echo "==> Paquets Debian : ${manquants[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${manquants[@]}" >/dev/null
  fi
}

preparer_virtualenv() {
  # $1: pip extra ("" or "test"). Reinstalls only when pyproject.toml changed.
  local extra="${1:-}"
  local python="${PYTHON:-python3}"
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  local empreinte
  empreinte="$(sha1sum pyproject.toml | cut -c1-40)-${extra}"
  if [ "$(cat .venv/.installe 2>/dev/null)" != "$empreinte" ]; then
    echo "==> Installation des dépendances Python${extra:+ ($extra)}"
    .venv/bin/pip install -q --disable-pip-version-check --upgrade pip
    .venv/bin/pip install -q --disable-pip-version-check ".${extra:+[$extra]}"
    echo "$empreinte" > .venv/.installe
  fi
}

PAQUETS_EXECUTION=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext)
