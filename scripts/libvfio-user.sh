#!/bin/sh
# Print the install prefix of libvfio-user, building it once into the cache
# from the subprojects/libvfio-user directory of Debian 12's qemu source
# package (the version pinned below was fetched and built on this kind of
# machine). Nothing of it is copied into the repository.
set -eu

QEMU_SRC_VERSION=1:7.2+dfsg-7+deb12u18
cache=${VGPU_CACHE:-${HOME:-/root}/.cache/vgpu}
dir=$cache/libvfio-user
prefix=$dir/install
stamp=$prefix/.vgpu-built-$(echo "$QEMU_SRC_VERSION" | tr ':+' '__')
. "$(dirname "$0")/cache-lock.sh"
cache_lock libvfio-user

if [ -f "$stamp" ]; then
	echo "$prefix"
	exit 0
fi
here=$(dirname "$0")
"$here/install-deps.sh" meson ninja-build pkg-config libjson-c-dev libcmocka-dev \
	dpkg-dev xz-utils >&2

mkdir -p "$dir/dl"
tarball=$(ls "$dir"/dl/qemu_*.orig.tar.xz 2>/dev/null | head -1 || true)
if [ -z "$tarball" ]; then
	if ! apt-cache showsrc qemu 2>/dev/null | grep -q '^Version: '; then
		if [ "$(id -u)" != 0 ]; then
			echo "error: no deb-src entry for bookworm; add one (Types: deb-src) and apt-get update" >&2
			exit 1
		fi
		echo "libvfio-user: adding a deb-src entry for bookworm" >&2
		cat >/etc/apt/sources.list.d/vgpu-deb-src.sources <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
		apt-get update -q >/dev/null 2>&1 || true
	fi
	echo "libvfio-user: fetching the qemu $QEMU_SRC_VERSION source package" >&2
	if ! (cd "$dir/dl" && apt-get source --download-only "qemu=$QEMU_SRC_VERSION") \
			>"$dir/fetch.log" 2>&1; then
		tail -3 "$dir/fetch.log" >&2
		echo "error: apt-get source qemu=$QEMU_SRC_VERSION failed (network or mirror?); log: $dir/fetch.log" >&2
		exit 1
	fi
	tarball=$(ls "$dir"/dl/qemu_*.orig.tar.xz | head -1)
fi

echo "libvfio-user: building from $(basename "$tarball")" >&2
rm -rf "$dir/src" "$dir/build" "$prefix"
mkdir -p "$dir/src"
tar -xf "$tarball" -C "$dir/src" --strip-components=3 --wildcards '*/subprojects/libvfio-user/*'
if ! { meson setup "$dir/build" "$dir/src" --prefix="$prefix" --libdir=lib \
		--buildtype=release -Ddefault_library=static -Ddebug-logs=disabled &&
       ninja -C "$dir/build" lib/libvfio-user.a &&
       mkdir -p "$prefix/lib" "$prefix/include/vfio-user" &&
       cp "$dir/build/lib/libvfio-user.a" "$prefix/lib/" &&
       cp "$dir/src/include/libvfio-user.h" "$dir/src/include/pci_defs.h" \
		"$dir/src/include/vfio-user.h" "$prefix/include/vfio-user/" &&
       cp -r "$dir/src/include/pci_caps" "$prefix/include/vfio-user/"; } \
		>"$dir/build.log" 2>&1; then
	tail -20 "$dir/build.log" >&2
	echo "error: building libvfio-user failed; log: $dir/build.log" >&2
	exit 1
fi
touch "$stamp"
echo "$prefix"
