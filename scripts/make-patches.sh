#!/bin/sh
# The patch series as a stack against the pristine linux-source-6.1 tree.
#
# patches/NNNN-*.patch (NNNN from 0001) are the stack itself: each is a
# commit message and a diff against the tree the patches before it leave,
# in git format-patch form. They are the source; this script only replays
# them and writes them back normalised, with the cover letter
# patches/0000-cover-letter.patch generated from them (its hand-written
# subject and opening paragraph come from patches/src/cover.txt).
#
# Invariant, checked on every run: the pristine tree plus the whole stack
# gives every file under the repository's drivers/ byte for byte. Files of
# i915 that we do not own (hooks in i915_drv.h, gt/intel_ggtt.c, ...) live
# only in the stack.
#
#   make-patches.sh [OUTDIR]      replay the stack, check the invariant,
#                                 write the series to OUTDIR (default patches)
#   make-patches.sh --new MSG     after editing drivers/: the difference
#                                 becomes a new patch on top, message from
#                                 file MSG (subject line, blank line, body)
#   make-patches.sh --fold NNNN   after editing drivers/: the difference is
#                                 folded into patch NNNN; the patches after
#                                 it are replayed on top (git rebase)
#   make-patches.sh --export DIR  a git repository of the stack: tag "base"
#                                 is the pristine tree, one commit per patch
#                                 (for editing hooks or messages, reordering,
#                                 splitting, with git rebase -i)
#   make-patches.sh --import DIR  DIR's base..HEAD becomes the stack
#
# Commits get a fixed identity and date, so the output depends only on the
# patches' contents: running it twice gives the same bytes.
set -eu
export LC_ALL=C

top=$(cd "$(dirname "$0")/.." && pwd)
mode=write
arg=
case ${1:-} in
--new | --fold | --export | --import)
	mode=${1#--}
	arg=${2:?"usage: make-patches.sh --${1#--} ARG"}
	[ "$mode" = new ] && [ -f "$arg" ] &&
		arg=$(cd "$(dirname "$arg")" && pwd)/$(basename "$arg") ;;
esac
out=$top/patches
[ "$mode" = write ] && [ -n "${1:-}" ] && out=$1

tree=$("$top/scripts/kernel-tree.sh")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
die() { echo "make-patches: error: $*" >&2; exit 1; }

export GIT_AUTHOR_NAME="vGPU PV maintainers" GIT_AUTHOR_EMAIL="vgpu-pv@example.org"
export GIT_COMMITTER_NAME="$GIT_AUTHOR_NAME" GIT_COMMITTER_EMAIL="$GIT_AUTHOR_EMAIL"
export GIT_AUTHOR_DATE="2026-01-01T00:00:00+0000" GIT_COMMITTER_DATE="2026-01-01T00:00:00+0000"
g() { git -C "$repo" -c core.abbrev=12 -c init.defaultBranch=main \
	-c user.name="$GIT_AUTHOR_NAME" -c user.email="$GIT_AUTHOR_EMAIL" "$@"; }

# The stack's patches in order (the cover letter is generated, not input).
stack() { ls "$top"/patches/[0-9][0-9][0-9][0-9]-*.patch 2>/dev/null | grep -v '/0000-' || true; }
# The repository's own kernel files, relative to the top.
owned() { (cd "$top" && find drivers -type f | sort); }

# A git repository at $repo: the pristine version of every file the stack
# or the repository touches, tagged "base", then one commit per patch.
replay() {
	repo=$1
	mkdir -p "$repo"
	g init -q
	{ owned; stack | xargs -r sed -n -E 's#^(\+\+\+ b|--- a)/##p'; } | sort -u |
	while read -r path; do
		[ -f "$tree/$path" ] || continue
		mkdir -p "$repo/$(dirname "$path")"
		cp "$tree/$path" "$repo/$path"
	done
	g add -A
	g commit -q -m "pristine linux-source-6.1"
	g tag base
	for p in $(stack); do
		g am -q --keep-cr "$p" >/dev/null 2>&1 || {
			g am --abort >/dev/null 2>&1 || true
			die "patches/$(basename "$p") does not apply on top of the patches before it"
		}
	done
}

# Name every owned file the stack does not reproduce; non-zero if any.
differing() {
	owned | while read -r path; do
		cmp -s "$top/$path" "$repo/$path" || echo "$path"
	done
}

# Copy the repository's drivers/ files over the stack's result and commit
# the difference with the message in file $1 (git's "fixup!" for --fold).
commit_delta() {
	owned | while read -r path; do
		mkdir -p "$repo/$(dirname "$path")"
		cp "$top/$path" "$repo/$path"
	done
	g add -A
	g diff --cached --quiet && die "drivers/ already equals the stack: nothing to add"
	g commit -q -F "$1"
}

repo=$work/stack
case $mode in
import)
	[ -d "$arg/.git" ] || die "$arg is not a git repository made by --export"
	repo=$(cd "$arg" && pwd) ;;
*)
	replay "$repo" ;;
esac

case $mode in
export)
	[ -e "$arg" ] && die "$arg exists; give a new directory"
	mv "$repo" "$arg"
	echo "make-patches: the stack is in $arg (git log base..); 'make-patches.sh --import $arg' takes it back"
	exit 0 ;;
new)
	[ -f "$arg" ] || die "--new needs a message file, $arg is not one"
	commit_delta "$arg" ;;
fold)
	target=$(stack | grep "/$arg-" || true)
	[ -n "$target" ] || die "--fold $arg: no patch patches/$arg-*.patch"
	n=$(basename "$target" | cut -c1-4 | sed 's/^0*//')
	commit=$(g rev-list --reverse base..HEAD | sed -n "${n}p")
	printf 'fixup! %s\n' "$(g log -1 --format=%s "$commit")" >"$work/fixup.msg"
	commit_delta "$work/fixup.msg"
	GIT_SEQUENCE_EDITOR=: g rebase -q -i --autosquash base >/dev/null 2>&1 || {
		g rebase --abort >/dev/null 2>&1 || true
		die "the change does not fold into $(basename "$target"): it does not apply at that point of the stack, or a later patch conflicts with it; add it with --new instead"
	} ;;
esac

bad=$(differing)
if [ -n "$bad" ]; then
	for path in $bad; do
		echo "make-patches: $path differs from pristine linux-source-6.1 plus the stack" >&2
	done
	die "the stack does not reproduce drivers/. Add the change as a new patch
  (make patches NEW=msg-file) or fold it into one (make patches FOLD=NNNN)"
fi

# Write the series: the patches, then the cover letter's generated parts.
mkdir -p "$out"
rm -f "$out"/*.patch
g format-patch -q --zero-commit --no-signature --cover-letter -n -o "$out" base..HEAD
cover=$out/0000-cover-letter.patch
[ -f "$top/patches/src/cover.txt" ] || die "patches/src/cover.txt is missing"

ver=$(sed -n -E 's/^(VERSION|PATCHLEVEL|SUBLEVEL) = //p' "$tree/Makefile" | paste -sd.)
deb=$(dpkg-query -W -f '${Version}' linux-source-6.1 2>/dev/null || echo unknown)
blurb=$work/blurb
{
	sed 1,2d "$top/patches/src/cover.txt"
	echo
	echo "Base: Linux $ver as in Debian's linux-source-6.1 package $deb"
	echo "(/usr/src/linux-source-6.1.tar.xz), no other patches."
	echo
	echo "The patches:"
	i=0
	for c in $(g rev-list --reverse base..HEAD); do
		i=$((i + 1))
		echo
		printf '%02d %s (%s)\n' "$i" "$(g log -1 --format=%s "$c")" \
			"$(g show --format= --numstat "$c" | awk '{a += $1; d += $2} END {printf "+%d -%d", a, d}')"
		# The first paragraph of the message is its summary.
		g log -1 --format=%b "$c" | awk 'NF == 0 {exit} {print "   " $0}'
	done
	echo
	echo "How it is tested (generated from the checks themselves):"
	echo
	echo "- make kernel-check (scripts/kernel-check.sh):"
	sed -n '/^# checks:/,/^# end checks/p' "$top/scripts/kernel-check.sh" | sed '1d;$d;s/^#/ /'
	echo "- make harness-check: i915_vgpu.c compiled unchanged in userspace"
	echo "  against the host model (tools/testing/vgpu), ASan/UBSan and TSan:"
	sed -n 's/^HARNESS_ASAN_TESTS := //p' "$top/tools/testing/vgpu/vgpu.mk" |
		fold -s -w 66 | sed 's/^/    /;s/ *$//'
	echo "- make vm-check: 6.1 guests with this series under QEMU"
	echo "  vfio-user-pci on the host model's vgt-hostd, one line per scenario:"
	for s in "$top"/vm/scenarios/*.scn; do
		printf '%s: %s\n' "$(basename "$s" .scn)" "$(sed -n '1s/^# //p' "$s")" |
			fold -s -w 66 | sed '1s/^/    /;2,$s/^/      /;s/ *$//'
	done
} >"$blurb"

# Fill format-patch's two placeholders; everything else it wrote stays.
subject=$(sed -n 1p "$top/patches/src/cover.txt")
awk -v subject="$subject" -v blurb="$blurb" '
	/\*\*\* SUBJECT HERE \*\*\*/ { sub(/\*\*\* SUBJECT HERE \*\*\*/, subject) }
	/^\*\*\* BLURB HERE \*\*\*$/ { while ((getline l < blurb) > 0) print l; next }
	{ print }' "$cover" >"$work/cover" && mv "$work/cover" "$cover"
