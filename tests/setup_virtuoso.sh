#!/bin/sh
# Installs Virtuoso Open Source 7.2 from Debian's packages, if it is missing, for the tests of
# remote stores (tests/test_remote.py runs this; KG_SKIP_VIRTUOSO=1 skips those tests instead).
# The tests never use the system instance: each run starts a private server with its own
# virtuoso.ini and database folder on free loopback ports, and stops it at the end.
set -eu

if command -v virtuoso-t >/dev/null 2>&1 && command -v isql-vt >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "setup_virtuoso.sh: Virtuoso is not installed and installing it needs root:" >&2
    echo "  apt-get install virtuoso-opensource   (or set KG_SKIP_VIRTUOSO=1 to skip these tests)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# The package asks for the system instance's DBA password; answer it before it asks.
printf '%s\n' \
    "virtuoso-opensource-7 virtuoso-opensource-7/dba-password password dba" \
    "virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password dba" \
    | debconf-set-selections
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends virtuoso-opensource
command -v virtuoso-t >/dev/null && command -v isql-vt >/dev/null
