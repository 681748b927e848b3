#!/usr/bin/env bash
# Install what the tests need beyond the Python packages of the `test` extra:
#   browser   Debian's Chromium at /usr/bin/chromium, for the real-browser tests of `kg view`
#             (Playwright's own browser download cannot reach its host here, so the tests
#             launch this Chromium through `executable_path`).
#   virtuoso  Virtuoso Open Source 7.2, for the tests of remote stores. The tests never use
#             the system instance: each run starts a private server with its own virtuoso.ini
#             and database folder on free loopback ports, and stops it at the end.
# With no argument, both. Each is skipped when already there; installing needs root (apt-get).
# .ci/run calls this before the tests; the test fixtures call it too, for what they need
# (KG_SKIP_BROWSER=1 or KG_SKIP_VIRTUOSO=1 skips those tests instead).
set -euo pipefail

apt_install() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "provision.sh: installing $* needs root: apt-get install $*" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    if [ -z "${KG_APT_UPDATED:-}" ]; then
        apt-get -o DPkg::Lock::Timeout=600 update -qq
        export KG_APT_UPDATED=1
    fi
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" >/dev/null
}

browser() {
    [ -x /usr/bin/chromium ] && return 0
    apt_install chromium fonts-dejavu-core
    /usr/bin/chromium --version
}

virtuoso() {
    command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1 && return 0
    if [ "$(id -u)" -eq 0 ]; then
        # The package asks for the system instance's DBA password; answer it before it asks.
        printf '%s\n' \
            "virtuoso-opensource-7 virtuoso-opensource-7/dba-password password dba" \
            "virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password dba" \
            | debconf-set-selections
    fi
    apt_install virtuoso-opensource
    command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null
}

for what in "${@:-browser virtuoso}"; do
    for one in $what; do
        case "$one" in
            browser) browser ;;
            virtuoso) virtuoso ;;
            *) echo "provision.sh: unknown '$one'; give browser, virtuoso, or nothing for both" >&2; exit 2 ;;
        esac
    done
done
