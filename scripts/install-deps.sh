#!/bin/sh
# Install the Debian packages named on the command line that are missing.
# Needs root (as on CI); otherwise names what to install and fails.
set -eu

missing=
for pkg in "$@"; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $pkg"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "error: missing packages:$missing (run as root: apt-get install$missing)" >&2
	exit 1
fi

echo "installing:$missing" >&2
if ! { apt-get update -q >/dev/null &&
       DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends $missing >/dev/null; }; then
	echo "error: apt-get could not install:$missing (is the package archive reachable?)" >&2
	exit 1
fi
