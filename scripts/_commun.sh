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
  # $1: the lock file to install: requirements/base.txt (make run) or requirements/test.txt (make test).
  # Every package comes pinned with its hashes; pip refuses a download whose hash differs. The test lock
  # holds the base one, so a virtualenv built for the tests also serves `make run`.
  local verrou="$1"
  local python="${PYTHON:-python3}"
  local installe base test
  installe="$(cat .venv/.verrou 2>/dev/null || true)"
  base="$(_empreinte requirements/base.txt)"
  test="$(_empreinte requirements/test.txt)"
  if [ "$installe" = "$(_empreinte "$verrou")" ] || { [ "$verrou" = requirements/base.txt ] && [ "$installe" = "$test" ]; }; then
    return
  fi
  # Built from another lock, or by hand: start afresh, so that nothing outside the lock remains.
  if [ "$installe" != "$base" ]; then rm -rf .venv; fi
  [ -x .venv/bin/python ] || "$python" -m venv .venv
  echo "==> Installation des dépendances Python verrouillées ($verrou) : une minute environ la première fois"
  local journal
  journal="$(mktemp)"
  # --no-deps: the lock already holds every package, so pip resolves nothing. Resolving would weigh a newer
  # release of a package another one asks for with an extra (pytest-cov's coverage[toml]) and, in hash-checking
  # mode, refuse the whole install the day that release appears.
  if ! .venv/bin/pip install -q --disable-pip-version-check --no-deps --require-hashes -r "$verrou" >"$journal" 2>&1; then
    grep -v "is ignored: it is neither" "$journal" >&2
    echo "L'installation des dépendances verrouillées a échoué (voir ci-dessus)." >&2
    rm -f "$journal"
    exit 1
  fi
  rm -f "$journal"
  _empreinte "$verrou" > .venv/.verrou
}

_empreinte() {
  echo "$(sha1sum "$1" | cut -c1-40) $1"
}

PAQUETS_EXECUTION=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext)
