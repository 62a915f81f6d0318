#!/bin/sh
# Boot real Linux 6.1 guests on the host model's vGPUs and check them.
#
#   scripts/vm-check.sh [--pristine] [SCENARIO...]
#
# Scenarios: single (one guest on a type "8" vGPU, then a second boot on
# the same vGPU after its reset), pair (two guests at once on two vGPUs of
# one host; the daemon is $VGT_HOSTD_TSAN if set), malformed (hosts
# publishing a bad PVINFO; the guest must refuse the vGPU cleanly).
# Default: all three. --pristine boots the unmodified upstream 6.1 i915
# instead of our patch series (vm-interop).
#
# Needs: build/vgt-hostd (or $VGT_HOSTD), build/vgpu_check, build/vgpu_init
# (make builds them), root (QEMU runs chrooted in the VM root). Logs:
# build/vm/SCENARIO/.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
build=$repo/build
flavour=patched
[ "${1:-}" = --pristine ] && { flavour=pristine; shift; }
[ $# -eq 0 ] && set -- single pair malformed
GUEST_MEM_MIB=512
BOOT_TIMEOUT=${VGPU_BOOT_TIMEOUT:-600}

say() { echo "vm-check: $*"; }
die() { echo "vm-check: error: $*" >&2; exit 1; }

root=$("$here/vm-root.sh")
kernel=$("$here/guest-kernel.sh" $([ $flavour = pristine ] && echo --pristine))
hostd=${VGT_HOSTD:-$build/vgt-hostd}
for f in "$hostd" "$build/vgpu_check" "$build/vgpu_init"; do
	[ -x "$f" ] || die "$f is missing (run make vm-check)"
done
mkdir -p "$root/opt/vgpu"
cp "$build/vgpu_check" "$build/vgpu_init" "$root/opt/vgpu/"
cp "$kernel" "$root/opt/vgpu/bzImage-$flavour"

failures=0
summary=
hostd_pid=
# An error exit must not leave a daemon behind (QEMU has its timeout).
trap '[ -n "$hostd_pid" ] && kill $hostd_pid 2>/dev/null' EXIT

# hostd_start NAME ARGS...: a vgt-hostd for one scenario, sockets in the root.
hostd_start() {
	name=$1
	shift
	run=/run/vgpu-$name
	out=$build/vm/$name
	rm -rf "$root$run" "$out"
	mkdir -p "$root$run" "$out"
	"$hostd" --socket-dir "$root$run" --guest-mem $GUEST_MEM_MIB "$@" \
		>"$out/hostd.log" 2>&1 &
	hostd_pid=$!
	i=0
	until grep -q 'vgt-hostd: ready' "$out/hostd.log"; do
		kill -0 $hostd_pid 2>/dev/null || { cat "$out/hostd.log" >&2; die "vgt-hostd did not start"; }
		i=$((i + 1))
		[ $i -lt 100 ] || die "vgt-hostd not ready after 10 s"
		sleep 0.1
	done
}

# expect_of ID: the slices vgpuID was given, as vgpu_check.expect wants them.
expect_of() {
	sed -n "s/.*vgpu$1: type [^:]*: aperture \[\(0x[0-9a-f]*\), \(0x[0-9a-f]*\)) hidden \[\(0x[0-9a-f]*\), \(0x[0-9a-f]*\)) fences \([0-9]*\).*/\1 \2 \3 \4 \5/p" \
		"$out/hostd.log" | head -1 | {
		read -r ab ae hb he fences || exit 1
		printf '%#x,%#x,%#x,%#x,%d\n' $((ab)) $((ae - ab)) $((hb)) $((he - hb)) "$fences"
	}
}

# guest_start TAG SOCKET CMDLINE: boot one guest in the background.
guest_start() {
	tag=$1
	cmdline="console=ttyS0 root=vgpuroot rootfstype=9p rootflags=trans=virtio,version=9p2000.L,msize=262144 ro init=/opt/vgpu/vgpu_init panic=-1 no_timer_check ${VGPU_EXTRA_CMDLINE:-} $3"
	: >"$root$run/$tag-console.log"
	: >"$root$run/$tag-results.log"
	timeout "$BOOT_TIMEOUT" chroot "$root" qemu-system-x86_64 \
		-machine q35,accel=tcg,memory-backend=mem -m ${GUEST_MEM_MIB}M \
		-object memory-backend-memfd,id=mem,size=${GUEST_MEM_MIB}M,share=on \
		-nodefaults -display none -monitor none -no-reboot \
		-kernel /opt/vgpu/bzImage-$flavour -append "$cmdline" \
		-serial "file:$run/$tag-console.log" -serial "file:$run/$tag-results.log" \
		-fsdev local,id=root,path=/,security_model=none,readonly=on \
		-device virtio-9p-pci,fsdev=root,mount_tag=vgpuroot \
		-device "{\"driver\":\"vfio-user-pci\",\"socket\":{\"path\":\"$run/$2\",\"type\":\"unix\"},\"addr\":\"0x2\",\"x-no-posted-writes\":true}" \
		>"$out/$tag-qemu.log" 2>&1 &
	eval "qemu_$tag=\$!"
	say "[$name] $tag booting ($flavour 6.1 guest on $2)"
}

# guests_wait TAG...: wait for the guests, showing progress.
guests_wait() {
	start=$(date +%s)
	for tag in "$@"; do
		eval "pid=\$qemu_$tag"
		while kill -0 "$pid" 2>/dev/null; do
			sleep 5
			kill -0 "$pid" 2>/dev/null || break
			n=$(grep -c '^VGPU-RESULT' "$root$run/$tag-results.log" || true)
			say "[$name] $tag: $(( $(date +%s) - start )) s, $n checks reported"
		done
		wait "$pid" || say "[$name] $tag: QEMU exited with status $?"
		eval "wall_$tag=$(( $(date +%s) - start ))"
		cp "$root$run/$tag-console.log" "$root$run/$tag-results.log" "$out/"
	done
}

hostd_stop() {
	kill -TERM $hostd_pid 2>/dev/null || true
	wait $hostd_pid || { failures=$((failures + 1)); say "[$name] vgt-hostd exited non-zero"; }
	hostd_pid=
}

# guest_verdict TAG: every check the guest ran passed, and it finished.
guest_verdict() {
	res=$out/$1-results.log
	tr -d '\r' <"$res" >"$res.tmp" && mv "$res.tmp" "$res"
	pass=$(grep -c '^VGPU-RESULT [^ ]* pass' "$res" || true)
	fail=$(grep -c '^VGPU-RESULT [^ ]* fail' "$res" || true)
	grep '^VGPU-RESULT' "$res" | sed "s/^/vm-check: [$name] $1: /" | cut -c1-300
	if ! grep -q '^VGPU-EXIT 0' "$res" || [ "$fail" -ne 0 ] || [ "$pass" -eq 0 ]; then
		failures=$((failures + 1))
		say "[$name] $1: FAIL ($pass passed, $fail failed; console: $out/$1-console.log)"
		tail -20 "$out/$1-console.log" | sed 's/^/    /'
		return
	fi
	boot=$(sed -n 's/^VGPU-BOOT userspace=\([0-9.]*\).*/\1/p' "$res")
	done_at=$(sed -n 's/^VGPU-EXIT 0 done=\([0-9.]*\).*/\1/p' "$res")
	eval "wall=\$wall_$1"
	summary="$summary
  [$name] $1: $pass checks passed; boot to userspace ${boot} s, checks done at ${done_at} s (guest clock); ${wall} s wall"
}

# exec_verdict ID SESSIONS: each normal guest session of vgpuID ran the
# checker's exec-refused subtest, so the host refused exactly one batch of
# it (outside-slice) and hung exactly that context; nothing else hung.
exec_verdict() {
	n=$(grep -c "vgpu$1: rcs context .* hung (audit): batch refused by the audit: outside-slice" "$out/hostd.log" || true)
	other=$(grep "vgpu$1: .* context .* hung" "$out/hostd.log" | grep -vc "outside-slice" || true)
	if [ "$n" -ne "$2" ] || [ "$other" -ne 0 ]; then
		failures=$((failures + 1))
		say "[$name] vgpu$1: $n audit refusals of the foreign store (expected $2), $other other hangs"
	fi
	summary="$summary
$(grep "vgpu$1 session exec:" "$out/hostd.log" | sed "s/.*session exec: /  [$name] vgpu$1 exec: /")"
}

# host_verdict ID READY: every PTE and aperture access of vgpuID fell inside
# its slices (libvgt refused none), READY guests left it with display_ready
# = 1 (G-14: they registered), and its trap counts for the summary.
host_verdict() {
	ready=$(grep -c "vgpu$1: device reset (client gone); the guest had display_ready=1" "$out/hostd.log" || true)
	if [ "$ready" -ne "$2" ]; then
		failures=$((failures + 1))
		say "[$name] vgpu$1: $ready guest(s) left display_ready=1, expected $2"
	fi
	id=$1
	sessions=$(grep -c "vgpu$id session traps:" "$out/hostd.log" || true)
	[ "$sessions" -gt 0 ] || { failures=$((failures + 1)); say "[$name] no trap counts for vgpu$id"; return; }
	set -- $(expect_of "$id" | tr ',' ' ')
	slices_lo=$(($1)) slices_hi=$(($3 + $4))
	grep "vgpu$id session traps:" "$out/hostd.log" | sed 's/.*session traps: //' >"$out/vgpu$id-sessions"
	n=0
	while read -r counts; do
		n=$((n + 1))
		summary="$summary
  [$name] vgpu$id guest $n: $counts"
		case " $counts" in
		*" refused=0 "*" aperture-refused=0 "*) ;;
		*)	failures=$((failures + 1))
			say "[$name] vgpu$id: the host refused accesses:"
			grep "vgpu$id: refused\|vgpu$id refused" "$out/hostd.log" | head -10 | sed 's/^/    /'
			;;
		esac
		# Confinement: the PTEs the guest touched lie inside its slices.
		span=$(echo "$counts" | sed -n 's/.*pte-span=\[\(0x[0-9a-f]*\), \(0x[0-9a-f]*\)\].*/\1 \2/p')
		[ -n "$span" ] || continue
		set -- $span
		if [ $(($1)) -lt $slices_lo ] || [ $(($2)) -ge $slices_hi ]; then
			failures=$((failures + 1))
			say "[$name] vgpu$id: PTE traps [$1, $2] reach outside the slices"
		fi
	done <"$out/vgpu$id-sessions"
}

# One guest, then a second boot on the same vGPU: the device reset between
# them must leave nothing of the first (PTEs, fences, PVINFO guest half).
run_single() {
	hostd_start single --vgpu 8
	guest_start g1 vgpu1.sock "vgpu_check.expect=$(expect_of 1)"
	guests_wait g1
	guest_start reboot vgpu1.sock "vgpu_check.expect=$(expect_of 1)"
	guests_wait reboot
	hostd_stop
	guest_verdict g1
	guest_verdict reboot
	host_verdict 1 2
	exec_verdict 1 2
}

# Two guests at once: two vfio-user threads on one libvgt host, under the
# TSan build of the daemon when VGT_HOSTD_TSAN names one.
run_pair() {
	asan_hostd=$hostd
	hostd=${VGT_HOSTD_TSAN:-$hostd}
	hostd_start pair --vgpu 8 --vgpu 8
	hostd=$asan_hostd
	guest_start g1 vgpu1.sock "vgpu_check.expect=$(expect_of 1)"
	guest_start g2 vgpu2.sock "vgpu_check.expect=$(expect_of 2)"
	guests_wait g1 g2
	hostd_stop
	guest_verdict g1
	guest_verdict g2
	host_verdict 1 1
	host_verdict 2 1
	exec_verdict 1 1
	exec_verdict 2 1
}

# malformed_case NAME FIELD=VALUE WORD: the host publishes FIELD wrong; the
# guest must refuse the vGPU with an error naming WORD, unwind its probe
# without a warning or a leak, and make no access the host has to refuse.
malformed_case() {
	hostd_start "$1" --vgpu 8 --malformed-pvinfo "$2"
	guest_start g1 vgpu1.sock "vgpu_check.mode=refuse vgpu_check.refusal=$3"
	guests_wait g1
	hostd_stop
	guest_verdict g1
	host_verdict 1 0
	exec_verdict 1 0
}

# A fence quota above gen9's 32 (rule F2: refused while the GGTT is set
# up) and an aperture slice larger than the aperture (rule S: refused
# when ballooning, deep inside GEM init).
run_malformed() {
	malformed_case malformed-fences fence_num=64 fence_num
	malformed_case malformed-slice mappable_size=0x20000000 mappable_gmadr
}

t0=$(date +%s)
for scenario in "$@"; do
	case $scenario in
	single|pair|malformed) run_$scenario ;;
	*) die "unknown scenario '$scenario' (single, pair, malformed)" ;;
	esac
done

echo "== vm-check summary ($flavour guest kernel, $(( $(date +%s) - t0 )) s)$summary" |
	tee "$build/vm/summary-$flavour.txt"
if [ $failures -ne 0 ]; then
	echo "vm-check: $failures failure(s); logs in $build/vm/"
	exit 1
fi
echo "vm-check: all scenarios passed"
