#!/bin/sh
# Boot real Linux 6.1 guests on vgt-hostd's vGPUs and judge them: the
# driver of make vm-check, make igt-check and make vm-interop.
#
#   vm/run.sh [--pristine] SCENARIO...
#
# Each SCENARIO is vm/scenarios/SCENARIO.scn, one directive a line:
#
#   daemon asan|tsan|release  which vgt-hostd build ($VGT_HOSTD,
#                          $VGT_HOSTD_TSAN; release: build/vgt-hostd, -O2)
#   hostd ARGS...          its options besides --socket-dir, --guest-mem and
#                          --status, which this script adds
#   memory MIB             guest RAM (default 512; also the daemon's --guest-mem)
#   run FILE               what the guest runs (vgpu_init's run list)
#   cmdline ARGS...        more of the guest's kernel command line; @SLICES@
#                          becomes the slices of the guest's vGPU, read from
#                          the daemon's status records (vm-report slices)
#   boot TAG:ID...         guests booted together on vGPU ID; one line a wave
#   timeout SECONDS        per wave (default 600, or $VGPU_BOOT_TIMEOUT)
#   host ID VERDICT...     the host verdict for vGPU ID (vm-report host):
#                          sessions=N display_ready=V confined
#                          allow=REASON,... audit=REASON:N,...
#   control STEP WANT COMMAND...
#                          when a guest prints "VGPU-HOST STEP", send COMMAND
#                          to vgt-hostd's control socket (vgt-hostctl); its
#                          reply must start with WANT (ok, refused, ...). The
#                          daemon gets --control, the guests
#                          vgpu.host_steps=STEP,... (what they may ask for)
#   guest lines            every guest's IGT result lines all SUCCESS
#   guest igt FILE [LIST]  igt_runner's results against expectations FILE;
#                          the tests: LIST (default vm/igt/tests.list)
#
# With --pristine the guests run the unmodified upstream 6.1 i915 (make
# vm-interop): scenarios are judged as written, except "guest igt", whose
# results are compared with the enlightened guest's instead.
#
# Needs root (QEMU runs chrooted in the VM root; the guest root, Debian sid
# with upstream IGT, is bind-mounted into it in a private mount namespace).
# Binaries: build/vm-report, build/guest/* (make builds them). Logs, serial
# consoles, status records and results: build/vm/SCENARIO[-pristine]/.
# With VGPU_SERIES_UPTO=NNNN the guests run the series only up to patch
# NNNN (scripts/guest-kernel.sh); results: build/vm/SCENARIO-upto-NNNN/.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
scripts=$repo/scripts
build=$repo/build
report=$build/vm-report

say() { echo "vm: $*"; }
die() { echo "vm: error: $*" >&2; exit 1; }

flavour=patched pflag=
[ "${1:-}" = --pristine ] && { flavour=pristine pflag=--pristine; shift; }
upto=
[ $flavour = patched ] && upto=${VGPU_SERIES_UPTO:+-upto-$VGPU_SERIES_UPTO}
[ $# -gt 0 ] || die "usage: vm/run.sh [--pristine] SCENARIO... (vm/scenarios/*.scn)"
for s in "$@"; do
	[ -f "$here/scenarios/$s.scn" ] || die "no scenario '$s' (vm/scenarios/$s.scn)"
done
for f in "$report" "$build/guest/vgpu_init"; do
	[ -x "$f" ] || die "$f is missing (make builds it)"
done

# The bind mount of the guest root must not outlive this script: run in a
# mount namespace of our own, which the kernel tears down with us.
if [ "${VGPU_VM_UNSHARED:-}" != 1 ]; then
	[ "$(id -u)" = 0 ] || die "vm/run.sh needs root (chroot, mount)"
	VGPU_VM_UNSHARED=1 exec unshare --mount --propagation private "$0" ${pflag:+"$pflag"} "$@"
fi

# An error exit must not leave a daemon, a QEMU or our copies behind.
hostd_pid= qemu_pids= opt= root=
cleanup() {
	for p in $qemu_pids $hostd_pid; do
		kill "$p" 2>/dev/null || true
	done
	wait 2>/dev/null || true
	[ -z "$opt" ] || rm -rf "$opt"
	[ -z "$root" ] || rm -rf "$root/run/vgpu-$$-"*
}
trap cleanup EXIT
root=$("$scripts/vm-root.sh")
guest_root=$("$scripts/vm-guest-root.sh")
kernel=$("$scripts/guest-kernel.sh" ${pflag:+"$pflag"})

# The guest sees the sid root at / (read-only); our binaries, run lists and
# IGT root at /opt/vgpu and its kernel at the VM root's /opt: this run's own
# copies, bind-mounted over the cached roots in our namespace only, so that
# runs from several checkouts (or make -j) never overwrite each other's.
mkdir -p "$build/vm" "$guest_root/opt/vgpu" "$root/srv/guest-root"
opt=$(mktemp -d "$build/vm/opt.XXXXXX")
mkdir -p "$opt/run" "$opt/igt"
cp "$build"/guest/* "$opt/"
mount --bind "$guest_root" "$root/srv/guest-root"
mount --bind "$opt" "$root/srv/guest-root/opt/vgpu"
bzimage=$root/opt/vgpu-bzImage-$flavour
[ -f "$bzimage" ] || : >"$bzimage"
mount --bind "$kernel" "$bzimage"
# QEMU's 9p server sets modes through /proc/self/fd: without a /proc in
# its chroot every create on the results share fails with ENOENT.
mount -t proc proc "$root/proc"

failures=0
summary=
fail() {
	failures=$((failures + 1))
	say "[$name] FAIL: $*"
}

# igt_prepare: the test root igt_runner gets (upstream's tests and ours
# side by side, as symlinks) and its blacklist from the expectations.
igt_prepare() {
	dir=$opt/igt
	rm -rf "$dir/root"
	mkdir -p "$dir/root"
	for t in "$guest_root"/usr/libexec/igt-gpu-tools/*; do
		# The tests, not the package's own lists and data.
		[ -f "$t" ] && [ -x "$t" ] || continue
		ln -s "/usr/libexec/igt-gpu-tools/$(basename "$t")" "$dir/root/"
	done
	for t in "$build"/guest/vgpu_*; do
		[ "$(basename "$t")" = vgpu_init ] || ln -sf "/opt/vgpu/$(basename "$t")" "$dir/root/"
	done
	cp "$repo/$2" "$dir/tests.list"
	# The runner insists on a test-list.txt in its test root.
	{ echo TESTLIST; sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$dir/tests.list"; echo END; } \
		>"$dir/root/test-list.txt"
	"$report" igt-excludes "$repo/$1" >"$dir/excludes"
	# igt_runner refuses an empty blacklist: one that matches nothing.
	[ -s "$dir/excludes" ] || echo '^$' >"$dir/excludes"
}

# hostd_start ARGS...: the scenario's daemon, sockets in the VM root.
hostd_start() {
	run=/run/vgpu-$$-$name
	rm -rf "${root:?}$run"
	mkdir -p "$root$run"
	status=$out/status.jsonl
	ctl=
	[ ! -s "$out/controls" ] || { ctl=$root$run/control.sock; set -- --control "$ctl" "$@"; }
	"$hostd" --socket-dir "$root$run" --guest-mem "$memory" --status "$status" "$@" \
		>"$out/hostd.log" 2>&1 &
	hostd_pid=$!
	i=0
	until grep -q '"record":"ready"' "$status" 2>/dev/null; do
		kill -0 "$hostd_pid" 2>/dev/null || { cat "$out/hostd.log" >&2; die "vgt-hostd did not start"; }
		i=$((i + 1))
		[ $i -lt 100 ] || die "vgt-hostd not ready after 10 s"
		sleep 0.1
	done
}

hostd_stop() {
	kill -TERM "$hostd_pid" 2>/dev/null || true
	wait "$hostd_pid" || fail "vgt-hostd exited non-zero (log: $out/hostd.log)"
	hostd_pid=
	grep -q '"record":"exit","status":0' "$status" || fail "no clean exit record in $status"
}

# guest_start TAG ID: boot one guest on vGPU ID in the background.
guest_start() {
	tag=$1 id=$2
	slices=$("$report" slices "$status" "$id") || die "no slices for vgpu$id"
	extra=$(echo "$cmdline" | sed "s/@SLICES@/$slices/g")
	[ ! -s "$out/controls" ] ||
		extra="$extra vgpu.host_steps=$(cut -d' ' -f1 "$out/controls" | paste -sd, -)"
	args="console=ttyS0 root=vgpuroot rootfstype=9p rootflags=trans=virtio,version=9p2000.L,msize=262144,cache=loose ro init=/opt/vgpu/vgpu_init panic=-1 vgpu_init.run=run/$name.run vgpu_init.out=vgpuout $extra"
	rm -rf "${root:?}$run/$tag"
	mkdir -p "$root$run/$tag"
	: >"$root$run/$tag-console.log"
	: >"$root$run/$tag-results.log"
	timeout "$wave_timeout" chroot "$root" qemu-system-x86_64 \
		-machine q35,accel=tcg,memory-backend=mem -m "${memory}M" \
		-object "memory-backend-memfd,id=mem,size=${memory}M,share=on" \
		-nodefaults -display none -monitor none -no-reboot \
		-kernel "/opt/vgpu-bzImage-$flavour" -append "$args" \
		-serial "file:$run/$tag-console.log" -serial "file:$run/$tag-results.log" \
		-fsdev local,id=root,path=/srv/guest-root,security_model=none,readonly=on,multidevs=remap \
		-device virtio-9p-pci,fsdev=root,mount_tag=vgpuroot,addr=0x3 \
		-fsdev "local,id=out,path=$run/$tag,security_model=none" \
		-device virtio-9p-pci,fsdev=out,mount_tag=vgpuout,addr=0x4 \
		-device "{\"driver\":\"vfio-user-pci\",\"socket\":{\"path\":\"$run/vgpu$id.sock\",\"type\":\"unix\"},\"addr\":\"0x2\",\"x-no-posted-writes\":true}" \
		>"$out/$tag-qemu.log" 2>&1 &
	eval "qemu_$tag=\$!"
	qemu_pids="$qemu_pids $!"
	[ ! -s "$out/controls" ] || { control_watch "$tag" $! & qemu_pids="$qemu_pids $!"; }
	say "[$name] $tag booting ($flavour 6.1 guest on vgpu$id, ${memory} MiB)"
}

# control_watch TAG PID: while QEMU PID runs, answer each "VGPU-HOST STEP"
# line of guest TAG, in order, with the scenario's control COMMAND for
# STEP; "STEP REPLY" lines in control.log.
control_watch() {
	res=$root$run/$1-results.log seen=0 qemu=$2
	while kill -0 "$qemu" 2>/dev/null; do
		n=$(grep -c '^VGPU-HOST ' "$res" 2>/dev/null || true)
		while [ "$seen" -lt "${n:-0}" ]; do
			seen=$((seen + 1))
			step=$(tr -d '\r' <"$res" | sed -n 's/^VGPU-HOST //p' | sed -n "${seen}p")
			line=$(awk -v s="$step" '$1 == s' "$out/controls" | head -1)
			if [ -z "$line" ]; then
				echo "$step error: no control directive for this step" >>"$out/control.log"
				continue
			fi
			# shellcheck disable=SC2086
			set -- $line
			shift 2
			echo "$step $("$build/vgt-hostctl" "$ctl" "$@" 2>&1)" >>"$out/control.log"
		done
		sleep 0.5
	done
}

# control_verdict: every control step was asked for and answered as WANT.
control_verdict() {
	while read -r step want cmd; do
		got=$(awk -v s="$step" '$1 == s { print; exit }' "$out/control.log" 2>/dev/null)
		say "[$name] control $step ($cmd): ${got#"$step "}"
		[ "$(echo "$got" | cut -d' ' -f2)" = "$want" ] ||
			fail "control $step: wanted a reply '$want' (log: $out/control.log)"
		summary="$summary
  [$name] control $step: ${got#"$step "}"
	done <"$out/controls"
}

# wave TAG:ID...: boot these guests together and wait for them all.
wave() {
	tags=
	for g in "$@"; do
		guest_start "${g%%:*}" "${g#*:}"
		tags="$tags ${g%%:*}"
	done
	start=$(date +%s)
	for tag in $tags; do
		eval "pid=\$qemu_$tag"
		while kill -0 "$pid" 2>/dev/null; do
			sleep 10
			kill -0 "$pid" 2>/dev/null || break
			res=$root$run/$tag-results.log
			n=$(grep -c '^Subtest \|^\[[0-9]*/[0-9]*\]' "$res" || true)
			say "[$name] $tag: $(( $(date +%s) - start )) s, $n results; $(tail -c 300 "$res" | tr -d '\r' | tail -1 | cut -c1-90)"
		done
		wait "$pid" || say "[$name] $tag: QEMU exited with status $? (timeout is 124)"
		eval "wall_$tag=$(( $(date +%s) - start ))"
		for f in console results; do
			tr -d '\r' <"$root$run/$tag-$f.log" >"$out/$tag-$f.log"
		done
		rm -rf "${out:?}/$tag"
		cp -r "$root$run/$tag" "$out/$tag"
		guests="$guests $tag"
	done
}

# guest_verdict TAG: what the scenario's "guest" directive asks.
guest_verdict() {
	tag=$1
	res=$out/$tag-results.log
	eval "wall=\$wall_$tag"
	boot=$(sed -n 's/^VGPU-BOOT userspace=\([0-9.]*\).*/\1/p' "$res")
	done_at=$(sed -n 's/^VGPU-EXIT [0-9]* done=\([0-9.]*\).*/\1/p' "$res")
	case $guest_kind in
	lines)
		if "$report" guest "$res" >"$out/$tag-verdict.txt"; then
			sed "s/^/vm: [$name] $tag:/" "$out/$tag-verdict.txt"
		else
			sed "s/^/vm: [$name] $tag:/" "$out/$tag-verdict.txt"
			fail "$tag (console: $out/$tag-console.log)"
			tail -15 "$out/$tag-console.log" | sed 's/^/    /'
			return
		fi
		;;
	igt)
		igt_verdict "$tag" || return
		;;
	esac
	summary="$summary
  [$name] $tag: boot to userspace ${boot:-?} s, done at ${done_at:-?} s (guest clock); ${wall} s wall"
}

# igt_verdict TAG: the runner's results against the expectations (or, for
# the pristine guest, against the enlightened guest's results).
igt_verdict() {
	json=$out/$1/results/results.json
	grep -q '^VGPU-EXIT ' "$out/$1-results.log" || fail "$1: the guest did not finish (console: $out/$1-console.log)"
	if [ ! -f "$json" ] && [ -d "$out/$1/results" ]; then
		# Killed mid-run: make results.json of what it has, with the
		# guest root's igt_results (it only parses files).
		fail "$1: no results.json: the runner did not finish"
		scratch=$(mktemp -d "$guest_root/tmp/igt-partial.XXXXXX")
		cp -r "$out/$1/results/." "$scratch/"
		chroot "$guest_root" /usr/bin/igt_results "/tmp/$(basename "$scratch")" >/dev/null 2>&1 &&
			cp "$scratch/results.json" "$json"
		rm -rf "$scratch"
	fi
	[ -f "$json" ] || { fail "$1: no $json"; return 1; }
	if [ $flavour = patched ]; then
		# Not through a pipe: its status would be tee's.
		rc=0
		"$report" igt "$json" "$repo/$igt_expect" >"$out/igt-table.txt" || rc=$?
		cat "$out/igt-table.txt"
		[ $rc = 0 ] || { fail "$1: IGT results differ from $igt_expect (table: $out/igt-table.txt)"; return 1; }
	else
		ours=$build/vm/$name/g1/results/results.json
		[ -f "$ours" ] || { fail "no enlightened results ($ours): run make igt-check first"; return 1; }
		rc=0
		"$report" igt-compare "$ours" "$json" >"$out/igt-compare.txt" || rc=$?
		cat "$out/igt-compare.txt"
		[ $rc = 0 ] || { fail "$1: comparison failed"; return 1; }
	fi
}

run_scenario() {
	name=$1
	scn=$here/scenarios/$name.scn
	out=$build/vm/$name${pflag:+-pristine}$upto
	rm -rf "$out"
	mkdir -p "$out"
	hostd=${VGT_HOSTD:-$build/vgt-hostd}
	memory=512 cmdline='' waves='' hosts='' guest_kind=lines igt_expect='' igt_list='' guests=
	wave_timeout=${VGPU_BOOT_TIMEOUT:-600}
	hostd_args=
	lineno=0
	set -f	# split directives into words, never glob them
	while IFS= read -r line || [ -n "$line" ]; do
		lineno=$((lineno + 1))
		line=${line%%#*}
		set -- $line
		[ $# -gt 0 ] || continue
		key=$1
		shift
		case $key in
		daemon)	case ${1:-} in
			asan) hostd=${VGT_HOSTD:-$build/vgt-hostd} ;;
			tsan) hostd=${VGT_HOSTD_TSAN:-${VGT_HOSTD:-$build/vgt-hostd}} ;;
			release) hostd=$build/vgt-hostd ;;
			*) die "$scn:$lineno: daemon '${1:-}': asan, tsan or release" ;;
			esac ;;
		hostd)	hostd_args="$*" ;;
		memory)	memory=$1 ;;
		run)	cp "$repo/$1" "$opt/run/$name.run" ||
				die "$scn:$lineno: no run list $1" ;;
		cmdline) cmdline="$*" ;;
		boot)	waves="$waves|$*" ;;
		timeout) wave_timeout=${VGPU_BOOT_TIMEOUT:-$1} ;;
		host)	hosts="$hosts|$*" ;;
		control) [ $# -ge 3 ] || die "$scn:$lineno: control STEP WANT COMMAND..."
			echo "$*" >>"$out/controls" ;;
		guest)	guest_kind=$1
			case $guest_kind in
			lines) ;;
			igt) igt_expect=$2 igt_list=${3:-vm/igt/tests.list} ;;
			*) die "$scn:$lineno: guest '$guest_kind': lines or igt" ;;
			esac ;;
		*)	die "$scn:$lineno: unknown directive '$key'" ;;
		esac
	done <"$scn"
	set +f
	[ "$guest_kind" != igt ] || igt_prepare "$igt_expect" "$igt_list"
	[ -n "$waves" ] || die "$scn: no boot line"
	[ -x "$hostd" ] || die "$hostd is missing (make builds it)"

	say "[$name] $(sed -n '1s/^# *//p' "$scn")"
	# shellcheck disable=SC2086
	hostd_start $hostd_args
	old_ifs=$IFS
	IFS='|'
	for w in ${waves#|}; do
		IFS=$old_ifs
		# shellcheck disable=SC2086
		wave $w
		IFS='|'
	done
	IFS=$old_ifs
	hostd_stop
	[ ! -s "$out/controls" ] || control_verdict
	for tag in $guests; do
		guest_verdict "$tag"
	done
	IFS='|'
	for h in ${hosts#|}; do
		IFS=$old_ifs
		# shellcheck disable=SC2086
		if "$report" host "$status" $h >"$out/host-verdict.txt"; then :; else
			fail "host verdict '$h' (status: $status)"
		fi
		cat "$out/host-verdict.txt"
		summary="$summary
$(grep '^  ' "$out/host-verdict.txt" | sed "s/^  /  [$name] /")"
		IFS='|'
	done
	IFS=$old_ifs
}

t0=$(date +%s)
for scenario in "$@"; do
	# A failed verdict is counted by fail(); the next scenario still runs.
	run_scenario "$scenario" || failures=$((failures + 1))
done
mkdir -p "$build/vm"
echo "== vm summary ($flavour$upto guest kernel, $* in $(( $(date +%s) - t0 )) s)$summary" |
	tee "$build/vm/summary-$flavour$upto-$(echo "$*" | tr ' ' +).txt"
if [ $failures -ne 0 ]; then
	echo "vm: $failures failure(s); logs in $build/vm/"
	exit 1
fi
echo "vm: all scenarios passed"
