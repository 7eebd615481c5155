#!/usr/bin/env bash
# openzfs-vm.sh — run a command against REAL OpenZFS in a throw-away QEMU guest.
#
# The lab and ./run-tests use zfs-fuse, which has no bookmarks, no resumable receive
# (`receive -s` / `send -t`), no `written` property and no /dev/zfs. Production runs OpenZFS.
# This script builds (once) a small Debian bookworm VM image with Debian's OpenZFS 2.1
# (zfs-dkms + zfsutils-linux from contrib, module built by dkms for the image's kernel) and
# OpenJDK 17, and runs one command in it with the current working tree shared read-write.
#
# Usage:
#   scripts/openzfs-vm.sh build [--rebuild]   build the image once (reused when present)
#   scripts/openzfs-vm.sh run CMD [ARG...]    boot the VM, run CMD as root, power off
#   scripts/openzfs-vm.sh info                what the cached image holds
#   scripts/openzfs-vm.sh clean               remove the cached image and build tree
#
# `run` shares the git work tree containing the caller's current directory (or the directory
# itself outside git) at the SAME path inside the VM, read-write (9p, passthrough), and the
# host's ~/.m2 at /root/.m2 read-only (so `./mvnw -o ...` works offline: no network in the VM).
# Inside, it mounts the shares, runs `modprobe zfs`, cd's to the caller's directory and runs
# CMD with bash (stdin is /dev/null; stdout and stderr both stream to this script's stdout).
# The script exits with CMD's exit code (125 when the VM died before reporting one, 124 on
# timeout). The VM's root disk is opened with snapshot=on: every run starts from the same
# clean image and nothing written outside the shared tree survives.
#
# Maven inside writes target/ directories into the shared tree. Run Maven from a separate
# git worktree so the VM's build does not race a host build in the same tree:
#   git worktree add ../wt-vm HEAD && cd ../wt-vm
#   scripts/openzfs-vm.sh run ./mvnw -o -q -B -pl core verify -Dit.test=ZfsDriverIT -Dtest=none \
#       -Dsurefire.failIfNoSpecifiedTests=false
# (-o needs every plugin and dependency already in the host's ~/.m2: run the same Maven command
# once on the host, or `./mvnw -q dependency:go-offline`, before.)
#
# Examples:
#   scripts/openzfs-vm.sh run bash -c 'zfs version; truncate -s 256M /tmp/p.img; zpool create t /tmp/p.img'
#   scripts/openzfs-vm.sh run zfs version
#
# Environment:
#   ZSENTINEL_OZFS_CACHE    image cache (default /var/cache/zsentinel-openzfs-vm; never in git)
#   ZSENTINEL_OZFS_TIMEOUT  whole-run timeout in seconds (default 1800 = 30 min)
#   ZSENTINEL_OZFS_MEM      guest memory (default 4G)    ZSENTINEL_OZFS_SMP  guest CPUs (default 2)
#   ZSENTINEL_OZFS_MIRROR   Debian mirror (default http://deb.debian.org/debian)
#   ZSENTINEL_OZFS_ZFS      stable (default: bookworm's OpenZFS 2.1) | backports (2.2, with snapshots_changed;
#                           its own image, in the cache directory with -backports appended)
#   ZSENTINEL_OZFS_M2       host Maven directory to share (default $HOME/.m2; absent: not shared)
#   ZSENTINEL_OZFS_M2_RW=1  share it read-write instead
#   ZSENTINEL_OZFS_ACCEL    auto (default) | kvm | tcg
#   ZSENTINEL_OZFS_CPU      TCG CPU model (default Nehalem: no AVX for TCG to get wrong)
#   ZSENTINEL_OZFS_TCG_THREAD  single (default) | multi (multi crashed the JVM's JIT code here)
#
# Needs: root (debootstrap, chroot, 9p passthrough), and Debian's debootstrap, qemu-system-x86,
# e2fsprogs (installed with apt-get when missing). Uses hardware KVM (kvm_intel/kvm_amd) when the
# host has it; otherwise TCG (software emulation). Sandboxes whose /dev/kvm is PVM (kvm_pvm) only
# run PVM guest kernels (Debian's hangs after the boot loader), so they get TCG too.
#
# Timings seen on a 2-core Debian 12 sandbox (TCG, PVM host): `build` 5.5-7 min from scratch
# (debootstrap 0.5 min, kernel + JDK 1-1.5 min, zfs-dkms module 3.5-5 min, initramfs + image
# 0.5 min), instant when cached; `run` of a zfs smoke command ~20 s in all (boot ~10 s); the
# core ZfsDriverIT through `./mvnw -o` ~4.5 min (~2.5 min with core already
# compiled). Hardware KVM should be much faster.
set -euo pipefail

PROG=openzfs-vm
# stable: Debian bookworm's OpenZFS 2.1; backports: bookworm-backports' 2.2 (snapshots_changed), own cache
ZFS_FROM=${ZSENTINEL_OZFS_ZFS:-stable}
case "$ZFS_FROM" in stable) flavour="" ;; backports) flavour="-backports" ;;
  *) echo "openzfs-vm: ZSENTINEL_OZFS_ZFS must be stable or backports, not $ZFS_FROM" >&2; exit 2 ;; esac
CACHE=${ZSENTINEL_OZFS_CACHE:-/var/cache/zsentinel-openzfs-vm$flavour}
MIRROR=${ZSENTINEL_OZFS_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm
TIMEOUT=${ZSENTINEL_OZFS_TIMEOUT:-1800}
MEM=${ZSENTINEL_OZFS_MEM:-4G}
SMP=${ZSENTINEL_OZFS_SMP:-2}
M2=${ZSENTINEL_OZFS_M2:-${HOME:-/root}/.m2}
IMAGE_SIZE=8G
GUEST_INIT=/usr/local/sbin/zsentinel-vm-init
IMAGE_FORMAT=2   # bump when what `build` puts in the image changes: older images are rebuilt

say() { echo "$PROG: $*" >&2; }
die() { echo "$PROG: error: $*" >&2; exit 1; }

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; }

need_root() { [ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, chroot, 9p passthrough)"; }

host_packages() {
  local missing=() pkg
  for pkg in debootstrap qemu-system-x86 e2fsprogs; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing host packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  }
}

image_ready() {
  grep -qx "format:  $IMAGE_FORMAT" "$CACHE/image.ok" 2>/dev/null && [ -f "$CACHE/root.img" ] && [ -f "$CACHE/vmlinuz" ] && [ -f "$CACHE/initrd.img" ]
}

elapsed() { local s=$(( $(date +%s) - $1 )); printf '%dm%02ds' $((s / 60)) $((s % 60)); }

# ---------------------------------------------------------------------------------------- build

CHROOT_MOUNTS=()
chroot_mount() {
  local tree=$1
  mount -t proc proc "$tree/proc";            CHROOT_MOUNTS+=("$tree/proc")
  mount -t sysfs sysfs "$tree/sys";           CHROOT_MOUNTS+=("$tree/sys")
  mount --bind /dev "$tree/dev";              CHROOT_MOUNTS+=("$tree/dev")
  mount -t devpts devpts "$tree/dev/pts";     CHROOT_MOUNTS+=("$tree/dev/pts")
}
chroot_umount() {
  local i
  for (( i=${#CHROOT_MOUNTS[@]}-1; i>=0; i-- )); do
    umount -l "${CHROOT_MOUNTS[$i]}" 2>/dev/null || true
  done
  CHROOT_MOUNTS=()
}

in_chroot() {
  local tree=$1; shift
  chroot "$tree" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive "$@"
}

write_guest_init() {
  # PID 1 of the guest, kept in the image and minimal: mount the control share and hand over to
  # the init that `run` writes there (guest_run_init), so changing that needs no image rebuild.
  cat >"$1$GUEST_INIT" <<'INIT'
#!/bin/bash
# zsentinel OpenZFS VM stub init (PID 1), written by scripts/openzfs-vm.sh build.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
off() { sync; echo 1 >/proc/sys/kernel/sysrq; echo o >/proc/sysrq-trigger; sleep 60; }
mountpoint -q /proc || mount -t proc proc /proc
mountpoint -q /sys || mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mkdir -p /mnt/ctl
if modprobe -a 9pnet_virtio 9p &&
   mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=none zsctl /mnt/ctl &&
   [ -f /mnt/ctl/init ]; then
  exec /bin/bash /mnt/ctl/init
fi
echo "zsentinel-vm: cannot mount the control share (9p tag zsctl)" >/dev/ttyS0
off
INIT
  chmod 755 "$1$GUEST_INIT"
}

guest_run_init() {
  # The rest of the guest's PID 1, per run: shares, modprobe zfs, the command, its rc, power off.
  cat <<'INIT'
#!/bin/bash
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 TERM=dumb
off() { sync; echo 1 >/proc/sys/kernel/sysrq; echo o >/proc/sysrq-trigger; sleep 60; }
log() { echo "zsentinel-vm: $*" >/dev/ttyS0; }
fail() { log "$*"; echo 125 >/mnt/ctl/rc; off; }
mkdir -p /dev/pts /dev/shm /run
mountpoint -q /dev/pts || mount -t devpts devpts /dev/pts
mountpoint -q /dev/shm || mount -t tmpfs tmpfs /dev/shm
mountpoint -q /run || mount -t tmpfs tmpfs /run
hostname zsentinel-ozfs
ip link set lo up 2>/dev/null || true
opts=trans=virtio,version=9p2000.L,msize=512000
# shellcheck disable=SC1091
. /mnt/ctl/env    # REPO_DIR WORK_DIR M2_SHARED M2_RW
mkdir -p "$REPO_DIR"
mount -t 9p -o "$opts,cache=mmap" zsrepo "$REPO_DIR" || fail "cannot mount the work tree (9p tag zsrepo)"
if [ "$M2_SHARED" = 1 ]; then
  mkdir -p /root/.m2
  if [ "$M2_RW" = 1 ]; then m2o="$opts,cache=mmap"; else m2o="$opts,cache=loose,ro"; fi
  mount -t 9p -o "$m2o" zsm2 /root/.m2 || log "cannot mount ~/.m2 (9p tag zsm2)"
fi
modprobe zfs || fail "modprobe zfs failed"
stty -F /dev/ttyS1 raw -echo 2>/dev/null || true
cd "$WORK_DIR" || fail "no $WORK_DIR in the guest"
log "running the command in $WORK_DIR"
bash /mnt/ctl/cmd.sh </dev/null >/dev/ttyS1 2>&1
rc=$?
echo "$rc" >/mnt/ctl/rc
log "command exited with $rc"
cd /
zpool export -a 2>/dev/null || true
sync
umount /root/.m2 2>/dev/null || true
umount "$REPO_DIR" 2>/dev/null || true
off
INIT
}

cmd_build() {
  local rebuild=no
  for a in "$@"; do
    case "$a" in
      --rebuild) rebuild=yes ;;
      *) die "build: unknown argument $a" ;;
    esac
  done
  need_root
  if [ "$rebuild" = no ] && image_ready; then
    say "image already built in $CACHE (reused; 'build --rebuild' to make it again)"
    cat "$CACHE/image.ok" >&2
    return 0
  fi
  [ -e /dev/kvm ] || say "warning: no /dev/kvm; 'run' will not work here"
  host_packages
  mkdir -p "$CACHE"
  exec 9>"$CACHE/.lock"
  flock -n 9 || die "another build is running on $CACHE"
  [ "$rebuild" = yes ] && rm -f "$CACHE/image.ok"

  local t0 t; t0=$(date +%s)
  local work=$CACHE/build tree=$CACHE/build/rootfs logs=$CACHE/logs
  mkdir -p "$work" "$logs"
  trap chroot_umount EXIT

  # 1. debootstrap (a stamp makes a failed later step restart from here, not from scratch)
  if [ ! -f "$work/stage-debootstrap" ]; then
    t=$(date +%s)
    rm -rf "$tree"
    say "1/5 debootstrap $SUITE (main contrib) from $MIRROR into $tree"
    debootstrap --variant=minbase --components=main,contrib \
      --include=ca-certificates,kmod,procps,iproute2 \
      "$SUITE" "$tree" "$MIRROR" >"$logs/debootstrap.log" 2>&1 \
      || { tail -20 "$logs/debootstrap.log" >&2; die "debootstrap failed (log: $logs/debootstrap.log)"; }
    touch "$work/stage-debootstrap"
    say "1/5 debootstrap done in $(elapsed "$t")"
  else
    say "1/5 debootstrap tree present (reused)"
  fi

  cat >"$tree/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main contrib
deb $MIRROR $SUITE-updates main contrib
deb http://deb.debian.org/debian-security $SUITE-security main contrib
EOF
  if [ "$ZFS_FROM" = backports ]; then
    echo "deb $MIRROR $SUITE-backports main contrib" >>"$tree/etc/apt/sources.list"
  fi
  printf '#!/bin/sh\nexit 101\n' >"$tree/usr/sbin/policy-rc.d"; chmod 755 "$tree/usr/sbin/policy-rc.d"
  cp -L /etc/resolv.conf "$tree/etc/resolv.conf" 2>/dev/null || true
  # The root disk is virtio-blk ext4; load its drivers in the initramfs even without udev.
  mkdir -p "$tree/etc/initramfs-tools"
  printf 'virtio_pci\nvirtio_blk\next4\n' >"$tree/etc/initramfs-tools/modules"
  echo zsentinel-ozfs >"$tree/etc/hostname"
  chroot_mount "$tree"

  # 2. kernel, headers, initramfs, JDK
  if [ ! -f "$work/stage-packages" ]; then
    t=$(date +%s)
    say "2/5 installing linux-image-amd64, linux-headers-amd64, openjdk-17-jdk-headless (log: $logs/packages.log)"
    { in_chroot "$tree" apt-get update -q &&
      in_chroot "$tree" apt-get install -y -q --no-install-recommends \
        linux-image-amd64 linux-headers-amd64 initramfs-tools udev \
        openjdk-17-jdk-headless bash coreutils util-linux e2fsprogs procps less
    } >"$logs/packages.log" 2>&1 \
      || { tail -30 "$logs/packages.log" >&2; die "package install failed (log: $logs/packages.log)"; }
    touch "$work/stage-packages"
    say "2/5 packages done in $(elapsed "$t")"
  else
    say "2/5 packages present (reused)"
  fi

  local kver
  kver=$(find "$tree/lib/modules" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -V | tail -1)
  [ -n "$kver" ] && [ -f "$tree/boot/vmlinuz-$kver" ] || die "no kernel found in $tree/boot"
  [ -d "$tree/usr/src/linux-headers-$kver" ] || die "no headers for kernel $kver"

  # 3. OpenZFS: zfs-dkms builds the module in its postinst for every kernel with headers; make
  #    sure it did for $kver (dkms autoinstall -k otherwise), and that zfs.ko exists.
  if [ ! -f "$work/stage-zfs" ]; then
    t=$(date +%s)
    say "3/5 installing zfs-dkms + zfsutils-linux and building the module for $kver (log: $logs/zfs.log)"
    local from=()
    [ "$ZFS_FROM" = backports ] && from=(-t "$SUITE-backports")
    in_chroot "$tree" apt-get install -y -q --no-install-recommends "${from[@]}" zfs-dkms zfsutils-linux \
      >"$logs/zfs.log" 2>&1 \
      || { tail -40 "$logs/zfs.log" >&2; die "zfs-dkms/zfsutils-linux install failed (log: $logs/zfs.log)"; }
    if ! find "$tree/lib/modules/$kver" -name 'zfs.ko*' | grep -q .; then
      say "3/5 postinst built no zfs.ko for $kver; running dkms autoinstall -k $kver"
      in_chroot "$tree" dkms autoinstall -k "$kver" >>"$logs/zfs.log" 2>&1 || true
    fi
    if ! find "$tree/lib/modules/$kver" -name 'zfs.ko*' | grep -q .; then
      find "$tree/var/lib/dkms" -name make.log -exec tail -30 {} \; >&2 2>/dev/null || true
      die "no zfs.ko for $kver after dkms (log: $logs/zfs.log)"
    fi
    grep -iE 'error|warning: ' "$logs/zfs.log" | grep -viE 'Wno-error|-Werror|error\.h|error\.o|errors\.' | head -10 >&2 || true
    in_chroot "$tree" depmod -a "$kver"
    touch "$work/stage-zfs"
    say "3/5 zfs module built in $(elapsed "$t"): $(find "$tree/lib/modules/$kver" -name 'zfs.ko*' -printf '%P\n')"
  else
    say "3/5 zfs module present (reused)"
  fi

  # 4. boot: our init, a fresh initramfs, trimmed caches
  t=$(date +%s)
  say "4/5 guest init and initramfs"
  write_guest_init "$tree"
  in_chroot "$tree" update-initramfs -u -k "$kver" >"$logs/initramfs.log" 2>&1 \
    || { tail -20 "$logs/initramfs.log" >&2; die "update-initramfs failed"; }
  local zfsver javaver
  zfsver=$(in_chroot "$tree" dpkg-query -W -f '${Version}' zfsutils-linux)
  javaver=$(in_chroot "$tree" dpkg-query -W -f '${Version}' openjdk-17-jdk-headless)
  in_chroot "$tree" apt-get clean
  chroot_umount
  trap - EXIT
  rm -f "$tree/etc/resolv.conf" "$tree/usr/sbin/policy-rc.d"
  rm -rf "$tree/var/lib/apt/lists/"* "$tree/tmp/"*
  say "4/5 done in $(elapsed "$t")"

  # 5. ext4 root image from the tree (sparse file); kernel and initrd next to it
  t=$(date +%s)
  say "5/5 ext4 root image ($IMAGE_SIZE, sparse) from the tree"
  rm -f "$CACHE/root.img.tmp"
  mkfs.ext4 -q -F -L zsroot -d "$tree" "$CACHE/root.img.tmp" "$IMAGE_SIZE" >/dev/null
  cp "$tree/boot/vmlinuz-$kver" "$CACHE/vmlinuz.tmp"
  cp "$tree/boot/initrd.img-$kver" "$CACHE/initrd.img.tmp"
  mv -f "$CACHE/root.img.tmp" "$CACHE/root.img"
  mv -f "$CACHE/vmlinuz.tmp" "$CACHE/vmlinuz"
  mv -f "$CACHE/initrd.img.tmp" "$CACHE/initrd.img"
  cat >"$CACHE/image.ok" <<EOF
format:  $IMAGE_FORMAT
built:   $(date -u +%Y-%m-%dT%H:%M:%SZ) in $(elapsed "$t0")
suite:   $SUITE ($MIRROR, main contrib)
kernel:  $kver
zfs:     zfsutils-linux/zfs-dkms $zfsver
java:    openjdk-17-jdk-headless $javaver
image:   $CACHE/root.img ($IMAGE_SIZE sparse, $(du -h "$CACHE/root.img" | cut -f1) used)
EOF
  # The tree is only needed to make the image again; the image is the artefact.
  rm -rf "$work"
  say "5/5 image done in $(elapsed "$t")"
  say "built in $(elapsed "$t0"):"
  cat "$CACHE/image.ok" >&2
}

# ------------------------------------------------------------------------------------------ run

cmd_run() {
  [ $# -gt 0 ] || { usage; die "run: no command given"; }
  need_root
  image_ready || die "no current image in $CACHE: run '$0 build' first"
  command -v qemu-system-x86_64 >/dev/null || host_packages

  local here repo
  here=$(pwd -P)
  repo=$(git -C "$here" rev-parse --show-toplevel 2>/dev/null || echo "$here")
  repo=$(cd "$repo" && pwd -P)

  local ctl
  ctl=$(mktemp -d /tmp/zsentinel-ozfs-run.XXXXXX)
  # shellcheck disable=SC2064
  trap "rm -rf '$ctl'" EXIT
  local m2_shared=0 m2_rw=0
  [ -d "$M2" ] && m2_shared=1
  [ "${ZSENTINEL_OZFS_M2_RW:-0}" = 1 ] && m2_rw=1
  {
    printf 'REPO_DIR=%q\nWORK_DIR=%q\nM2_SHARED=%q\nM2_RW=%q\n' "$repo" "$here" "$m2_shared" "$m2_rw"
  } >"$ctl/env"
  {
    echo 'set -e'
    printf 'exec'; printf ' %q' "$@"; printf '\n'
  } >"$ctl/cmd.sh"
  guest_run_init >"$ctl/init"

  local accel; accel=$(pick_accel)
  local args=(
    $accel -m "$MEM" -smp "$SMP"
    -nographic -monitor none -no-reboot -nic none
    -kernel "$CACHE/vmlinuz" -initrd "$CACHE/initrd.img"
    -append "root=/dev/vda rw console=ttyS0 quiet loglevel=3 panic=-1 init=$GUEST_INIT"
    -drive "file=$CACHE/root.img,if=virtio,format=raw,snapshot=on"
    -serial "file:$ctl/console.log"
    -serial stdio
    -virtfs "local,path=$ctl,mount_tag=zsctl,security_model=passthrough,id=zsctl"
    -virtfs "local,path=$repo,mount_tag=zsrepo,security_model=passthrough,id=zsrepo"
  )
  if [ "$m2_shared" = 1 ]; then
    local ro=",readonly=on"; [ "$m2_rw" = 1 ] && ro=""
    args+=(-virtfs "local,path=$M2,mount_tag=zsm2,security_model=passthrough,id=zsm2$ro")
  fi

  say "booting OpenZFS VM ($accel, $MEM, $SMP CPUs, timeout ${TIMEOUT}s): $repo shared rw, ~/.m2 $([ "$m2_shared" = 1 ] && { [ "$m2_rw" = 1 ] && echo rw || echo ro; } || echo 'not shared')"
  local t0 qrc=0; t0=$(date +%s)
  timeout -k 10 "$TIMEOUT" qemu-system-x86_64 "${args[@]}" </dev/null || qrc=$?
  if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
    say "timed out after ${TIMEOUT}s (ZSENTINEL_OZFS_TIMEOUT); last console lines:"
    tail -20 "$ctl/console.log" >&2 || true
    exit 124
  fi
  if [ ! -s "$ctl/rc" ]; then
    say "the VM stopped without reporting an exit code (qemu exit $qrc); last console lines:"
    tail -30 "$ctl/console.log" >&2 || true
    exit 125
  fi
  local rc; rc=$(tr -dc '0-9' <"$ctl/rc")
  say "command exited with $rc (VM run $(elapsed "$t0"))"
  exit "${rc:-125}"
}

# Hardware KVM (kvm_intel/kvm_amd) runs Debian's stock kernel. Some hosts expose /dev/kvm without
# it: a nested sandbox with PVM (kvm_pvm, a software "pagetable VM") only runs guest kernels built
# for PVM, and Debian's kernel hangs there right after the boot loader. There we fall back to
# TCG (software emulation, multi-threaded): slower, same guest. ZSENTINEL_OZFS_ACCEL=kvm|tcg forces.
pick_accel() {
  local want=${ZSENTINEL_OZFS_ACCEL:-auto}
  if [ "$want" = auto ]; then
    if [ -w /dev/kvm ] && { [ -d /sys/module/kvm_intel ] || [ -d /sys/module/kvm_amd ]; }; then
      want=kvm
    else
      want=tcg
      if [ -d /sys/module/kvm_pvm ]; then
        say "/dev/kvm is PVM (kvm_pvm, no VMX/SVM): Debian's kernel cannot run under it; using TCG (slower)"
      else
        say "no hardware KVM (kvm_intel/kvm_amd): using TCG (slower)"
      fi
    fi
  fi
  case "$want" in
    kvm) [ -w /dev/kvm ] || die "/dev/kvm is missing or not writable"; echo "-enable-kvm -cpu host" ;;
    tcg) echo "-accel tcg,thread=${ZSENTINEL_OZFS_TCG_THREAD:-single},tb-size=512 -cpu ${ZSENTINEL_OZFS_CPU:-Nehalem}" ;;
    *) die "ZSENTINEL_OZFS_ACCEL must be auto, kvm or tcg (not $want)" ;;
  esac
}

cmd_info() {
  if image_ready; then cat "$CACHE/image.ok"; else echo "no image in $CACHE"; exit 1; fi
}

cmd_clean() {
  need_root
  [ -d "$CACHE" ] || { say "nothing to clean in $CACHE"; return 0; }
  local m
  for m in proc sys dev/pts dev; do umount -l "$CACHE/build/rootfs/$m" 2>/dev/null || true; done
  rm -rf "$CACHE/build" "$CACHE/logs" "$CACHE/root.img" "$CACHE/vmlinuz" "$CACHE/initrd.img" "$CACHE/image.ok" \
    "$CACHE"/*.tmp "$CACHE/.lock"
  rmdir "$CACHE" 2>/dev/null || true
  say "removed $CACHE"
}

case "${1:-}" in
  build) shift; cmd_build "$@" ;;
  run) shift; cmd_run "$@" ;;
  info) cmd_info ;;
  clean) cmd_clean ;;
  -h|--help|help) usage ;;
  *) usage; exit 2 ;;
esac
