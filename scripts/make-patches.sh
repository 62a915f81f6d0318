#!/bin/sh
# Regenerate the patch series against the pristine linux-source-6.1 tree.
#
# The repository's files are the truth. Each patches/src/NNNN.msg names, on
# its first line ("files: ..."), what the patch brings: a path is copied from
# this repository as it is; "diff:NAME" applies patches/src/NAME, a hook in
# an i915 file we do not own. The rest of the file is the commit message.
# Commits get a fixed identity and date so the output is reproducible.
#
# usage: make-patches.sh OUTDIR
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$1"
out=$(cd "$1" && pwd)
tree=$("$top/scripts/kernel-tree.sh")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export GIT_AUTHOR_NAME="vGPU PV maintainers" GIT_AUTHOR_EMAIL="vgpu-pv@example.org"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_AUTHOR_DATE="2026-01-01T00:00:00+0000" GIT_COMMITTER_DATE="2026-01-01T00:00:00+0000"
git_w() { git -C "$work" -c core.abbrev=12 -c init.defaultBranch=main "$@"; }

files_of() { sed -n '1s/^files: //p' "$1"; }
paths_of_item() {
	case $1 in
	diff:*) sed -n 's|^+++ b/||p' "$top/patches/src/${1#diff:}" ;;
	*) echo "$1" ;;
	esac
}

# Base commit: the pristine version of every file the series touches.
git_w init -q
for msg in "$top"/patches/src/*.msg; do
	for item in $(files_of "$msg"); do
		for path in $(paths_of_item "$item"); do
			[ -f "$tree/$path" ] || continue
			mkdir -p "$work/$(dirname "$path")"
			cp "$tree/$path" "$work/$path"
		done
	done
done
git_w add -A
git_w commit -q -m "pristine linux-source-6.1"
base=$(git_w rev-parse HEAD)

for msg in "$top"/patches/src/*.msg; do
	for item in $(files_of "$msg"); do
		case $item in
		diff:*)
			git_w apply "$top/patches/src/${item#diff:}" || {
				echo "error: patches/src/${item#diff:} does not apply to linux-source-6.1" >&2
				exit 1
			} ;;
		*)
			mkdir -p "$work/$(dirname "$item")"
			cp "$top/$item" "$work/$item" ;;
		esac
	done
	git_w add -A
	sed 1d "$msg" | git_w commit -q -F -
done

mkdir -p "$out"
rm -f "$out"/*.patch
git_w format-patch -q --zero-commit --no-signature -o "$out" "$base..HEAD"
