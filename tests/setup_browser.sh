#!/usr/bin/env bash
# Install what the real-browser tests need: Debian's Chromium at /usr/bin/chromium.
# Playwright's own browser download cannot reach its host here, so the tests launch this
# Chromium through `executable_path`; the Python `playwright` package comes from the `test`
# extra in pyproject.toml, so nothing is pip-installed here.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "setup_browser.sh: installing chromium needs root (apt-get); run it as root" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
/usr/bin/chromium --version
