#!/usr/bin/env bash
# Proves on a stock Debian 12 (bookworm) userland that a fresh clone's `./nas test` passes and changes nothing
# outside the clone: no apt source, no pin, no package, libc6 stays 2.36.
#
#   sudo tools/verify-debian12.sh [WORK_DIR]      (default WORK_DIR: .debian12/ in this clone, git-ignored)
#
# What it does:
#   1. builds a bookworm root with debootstrap in WORK_DIR/root (kept for later runs; NAS_VERIFY_FRESH=1 rebuilds
#      it). Packages: Debian's default set plus the .NET SDK's own prerequisites (libicu72, libssl3,
#      libgssapi-krb5-2, ca-certificates). When debootstrap is not installed, its package is downloaded with
#      apt-get into WORK_DIR (private apt lists; nothing on this machine is installed or changed).
#   2. records the root's libc6 version, /etc/apt/sources.list*, /etc/apt/preferences.d and `dpkg -l`;
#      the same for this machine;
#   3. clones the current commit (git clone; uncommitted changes are not part of the run), bind-mounts it into the
#      root at /home/nas/nas; bind-mounts read-only the .NET SDK (found with `dotnet --info`), /opt/nuget/packages
#      and ../shared when present, and this machine's CA bundle over the root's (the network here may need its own
#      CA); bind-mounts a user-owned copy of the NuGet package folder (`dotnet nuget locals global-packages`) as
#      the user's ~/.nuget/packages;
#   4. runs `./nas test` inside as the unprivileged user `nas` (uid 4242);
#   5. checks libc6 is still 2.36, the apt sources/pins and the package list are unchanged (in the root and on this
#      machine) and prints a PASS/FAIL summary (also written to WORK_DIR/summary.txt).
# Everything it mounts is unmounted on exit (trap), also after a failure or Ctrl-C.
# Needs root (debootstrap, mount, chroot) and the Debian mirror (NAS_DEBIAN_MIRROR, default deb.debian.org).
set -euo pipefail

REPO="$(git -C "$(dirname "${BASH_SOURCE[0]}")/.." rev-parse --show-toplevel)"
COMMIT="$(git -C "$REPO" rev-parse HEAD)"
WORK="$(realpath -m "${1:-$REPO/.debian12}")"
ROOT="$WORK/root"
MIRROR="${NAS_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
NAS_UID=4242
NAS_HOME=/home/nas
INCLUDE="libicu72,libssl3,libgssapi-krb5-2,ca-certificates"
LOGS="$WORK/logs"

log() { printf '[verify-debian12] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }

[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, mount and chroot); run it with sudo"
command -v dotnet >/dev/null 2>&1 || die "the .NET SDK ('dotnet') is not on PATH"

# --- mounts, undone on exit --------------------------------------------------------------------------------------
MOUNTS=()
mounted_under() { awk -v p="$1" '$2 == p || index($2, p "/") == 1 { print $2 }' /proc/self/mounts; }

cleanup() {
  local rc=$? i pid
  # Processes left inside the root (build servers, test hosts): only those whose root is this chroot.
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    if [ "$(readlink "/proc/$pid/root" 2>/dev/null)" = "$ROOT" ]; then kill -9 "$pid" 2>/dev/null || true; fi
  done
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
    umount -R "${MOUNTS[i]}" 2>/dev/null || umount -R -l "${MOUNTS[i]}" 2>/dev/null || log "could not unmount ${MOUNTS[i]}"
  done
  MOUNTS=()
  if [ -d "$ROOT" ] && [ -n "$(mounted_under "$ROOT")" ]; then
    log "still mounted under $ROOT:"; mounted_under "$ROOT" >&2; rc=3
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bind() { # bind SRC DST [ro]
  if [ -d "$1" ]; then mkdir -p "$2"; fi
  mount --bind "$1" "$2"
  MOUNTS+=("$2")
  if [ "${3:-}" = ro ]; then mount -o remount,bind,ro "$2"; fi
}

# --- 1. the bookworm root ----------------------------------------------------------------------------------------
DEBOOTSTRAP=""
find_debootstrap() { # sets DEBOOTSTRAP (and DEBOOTSTRAP_DIR for a downloaded copy)
  if command -v debootstrap >/dev/null 2>&1; then DEBOOTSTRAP="$(command -v debootstrap)"; return; fi
  local tools="$WORK/debootstrap" apt="$WORK/apt"
  if [ ! -x "$tools/usr/sbin/debootstrap" ]; then
    log "debootstrap is not installed: downloading its package into $tools (private apt lists, nothing installed)"
    mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$tools"
    local opts=(-o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache" -o Debug::NoLocking=1 -qq)
    apt-get "${opts[@]}" update >"$LOGS/apt-update.log" 2>&1 || { cat "$LOGS/apt-update.log" >&2; die "apt-get update (private lists) failed"; }
    (cd "$apt" && apt-get "${opts[@]}" download debootstrap) >"$LOGS/apt-download.log" 2>&1 || { cat "$LOGS/apt-download.log" >&2; die "apt-get download debootstrap failed"; }
    dpkg-deb -x "$(ls "$apt"/debootstrap_*.deb | tail -1)" "$tools"
  fi
  export DEBOOTSTRAP_DIR="$tools/usr/share/debootstrap"
  DEBOOTSTRAP="$tools/usr/sbin/debootstrap"
}

mkdir -p "$WORK" "$LOGS"
[ -z "$(mounted_under "$ROOT")" ] || die "something is still mounted under $ROOT; unmount it first"
if [ "${NAS_VERIFY_FRESH:-0}" = 1 ] && [ -d "$ROOT" ]; then
  log "removing the old root (NAS_VERIFY_FRESH=1)"; rm -rf --one-file-system "$ROOT"
fi
if [ ! -f "$ROOT/.nas-debootstrap-done" ]; then
  rm -rf --one-file-system "$ROOT"
  find_debootstrap
  log "debootstrap bookworm into $ROOT from $MIRROR (a few minutes; log: $LOGS/debootstrap.log)"
  "$DEBOOTSTRAP" --include="$INCLUDE" bookworm "$ROOT" "$MIRROR" >"$LOGS/debootstrap.log" 2>&1 \
    || { tail -20 "$LOGS/debootstrap.log" >&2; die "debootstrap failed"; }
  chroot "$ROOT" useradd --create-home --home-dir "$NAS_HOME" --uid "$NAS_UID" --shell /bin/bash nas
  touch "$ROOT/.nas-debootstrap-done"
fi

# --- 2. the state before --------------------------------------------------------------------------------------------
snapshot() { # snapshot ROOTDIR OUTDIR: libc6 version, apt sources and pins (names + contents), package list
  local r="$1" out="$2"
  mkdir -p "$out"
  chroot "$r" dpkg-query -W -f='${Version}\n' libc6 >"$out/libc6"
  chroot "$r" dpkg -l >"$out/packages"
  (cd "$r" && find etc/apt/sources.list etc/apt/sources.list.d etc/apt/preferences etc/apt/preferences.d \
      -printf '%p %y %m\n' 2>/dev/null | sort
   cd "$r" && find etc/apt/sources.list etc/apt/sources.list.d etc/apt/preferences etc/apt/preferences.d \
      -type f -exec sha256sum {} + 2>/dev/null | sort -k2) >"$out/apt" || true
  sed -n 's/^PRETTY_NAME=//p' "$r/etc/os-release" >"$out/os-release"
}
rm -rf "$WORK/before" "$WORK/after"
snapshot "$ROOT" "$WORK/before/root"
snapshot / "$WORK/before/host"
log "root: Debian $(cat "$ROOT/etc/debian_version"), libc6 $(cat "$WORK/before/root/libc6"), $(grep -c '^ii' "$WORK/before/root/packages") packages"

# --- 3. clone, SDK, NuGet folders ----------------------------------------------------------------------------------
if [ -n "$(git -C "$REPO" status --porcelain --untracked-files=no)" ]; then
  log "note: the working tree has uncommitted changes; the run tests commit ${COMMIT:0:12} only"
fi
rm -rf --one-file-system "$WORK/clone"
git clone --quiet --no-hardlinks "$REPO" "$WORK/clone"
git -C "$WORK/clone" checkout --quiet "$COMMIT"
chown -R "$NAS_UID:$NAS_UID" "$WORK/clone"

SDK_BASE="$(dotnet --info | sed -n 's/^ *Base Path: *//p' | head -1)"   # /usr/share/dotnet/sdk/10.0.401/
DOTNET_DIR="$(dirname "$(dirname "${SDK_BASE%/}")")"
[ -x "$DOTNET_DIR/dotnet" ] || DOTNET_DIR="$(dirname "$(readlink -f "$(command -v dotnet)")")"
[ -x "$DOTNET_DIR/dotnet" ] || die "cannot locate the .NET SDK folder (dotnet --info: '$SDK_BASE')"
NUGET_DIR="$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')"
NUGET_DIR="${NUGET_DIR%/}"
[ -d "$NUGET_DIR" ] || die "no NuGet package folder ($NUGET_DIR): run ./nas build once on this machine first"
SHARED=""
for candidate in "${NAS_SHARED_DIR:-}" "$REPO/../shared" "$REPO/../../shared"; do
  if [ -n "$candidate" ] && [ -d "$candidate" ]; then SHARED="$(realpath "$candidate")"; break; fi
done

mkdir -p "$ROOT/proc" "$ROOT/dev" "$ROOT/sys"
mount -t proc proc "$ROOT/proc"; MOUNTS+=("$ROOT/proc")
mount --rbind /dev "$ROOT/dev"; mount --make-rslave "$ROOT/dev"; MOUNTS+=("$ROOT/dev")
mount --rbind /sys "$ROOT/sys"; mount --make-rslave "$ROOT/sys"; MOUNTS+=("$ROOT/sys")
bind "$DOTNET_DIR" "$ROOT/opt/dotnet" ro
# The user gets its own copy of the NuGet packages: this machine's folder belongs to root, and the tools inside it
# (Grpc.Tools' protoc) are executable by their owner only, as NuGet extracts them. The copy is refreshed (missing
# files only) on each run; the original is never mounted, so it cannot change.
USER_NUGET="$WORK/nuget-packages"
log "copying the NuGet packages for user nas into $USER_NUGET (first run: a few GB)"
mkdir -p "$USER_NUGET"
cp -a --no-clobber "$NUGET_DIR/." "$USER_NUGET/"
chown -R "$NAS_UID:$NAS_UID" "$USER_NUGET"
bind "$USER_NUGET" "$ROOT$NAS_HOME/.nuget/packages"
if [ -d /opt/nuget/packages ]; then bind /opt/nuget/packages "$ROOT/opt/nuget/packages" ro; fi
bind "$WORK/clone" "$ROOT$NAS_HOME/nas"
if [ -n "$SHARED" ] && [ "${NAS_VERIFY_SHARED:-1}" = 1 ]; then bind "$SHARED" "$ROOT$NAS_HOME/shared" ro; fi
# This machine's network may need its own CA (a TLS-intercepting proxy): the root sees this machine's CA bundle
# for the run (a read-only bind mount over its own bundle, undone on exit), and the certificate variables below.
BUNDLE=/etc/ssl/certs/ca-certificates.crt
if [ -f "$BUNDLE" ] && [ -f "$ROOT$BUNDLE" ]; then bind "$BUNDLE" "$ROOT$BUNDLE" ro; fi
PASS_ENV=()
for v in SSL_CERT_FILE SSL_CERT_DIR NUGET_CERT_REVOCATION_MODE http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
  if [ -n "${!v:-}" ]; then PASS_ENV+=("$v=${!v}"); fi
done
chown "$NAS_UID:$NAS_UID" "$ROOT$NAS_HOME/.nuget"
chmod 1777 "$ROOT/tmp"

# --- 4. ./nas test as user nas ---------------------------------------------------------------------------------------
log "running ./nas test in the root as user nas (uid $NAS_UID); SDK $DOTNET_DIR${SHARED:+, shared $SHARED} (read-only), NuGet packages copied from $NUGET_DIR"
start=$(date +%s)
set +e
chroot --userspec="$NAS_UID:$NAS_UID" "$ROOT" /usr/bin/env -i \
  HOME="$NAS_HOME" USER=nas LOGNAME=nas LANG=C.UTF-8 TERM=dumb \
  PATH="/opt/dotnet:/usr/local/bin:/usr/bin:/bin" DOTNET_ROOT=/opt/dotnet \
  DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1 \
  UseSharedCompilation=false NUGET_PACKAGES="$NAS_HOME/.nuget/packages" "${PASS_ENV[@]}" \
  /bin/bash -c 'cd ~/nas && ./nas test; rc=$?; dotnet build-server shutdown >/dev/null 2>&1; exit $rc' 2>&1 | tee "$LOGS/nas-test.log"
test_rc=${PIPESTATUS[0]}
set -e
wall=$(($(date +%s) - start))
counts="$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$LOGS/nas-test.log" | tail -1 || true)"
skipped="$( (grep -oE 'Skipped: +[0-9]+' "$LOGS/nas-test.log" || true) | awk '{ s += $2 } END { if (NR) print s }')"

# --- 5. the state after ---------------------------------------------------------------------------------------------
snapshot "$ROOT" "$WORK/after/root"
snapshot / "$WORK/after/host"

RESULT=PASS
SUMMARY=()
check() { # check NAME OK(0|1) DETAIL
  local status=PASS
  if [ "$2" != 0 ]; then status=FAIL; RESULT=FAIL; fi
  SUMMARY+=("$(printf '  %-4s %-52s %s' "$status" "$1" "$3")")
}
same() { cmp -s "$WORK/before/$1" "$WORK/after/$1"; }
libc_before="$(cat "$WORK/before/root/libc6")"; libc_after="$(cat "$WORK/after/root/libc6")"

check "./nas test inside the root (user nas)" "$([ "$test_rc" = 0 ] && [ -n "$counts" ]; echo $?)" \
  "${counts:-no result line}${skipped:+ ($skipped skipped)}, exit $test_rc, wall ${wall}s"
check "root libc6 still 2.36" "$([ "$libc_before" = "$libc_after" ] && [[ "$libc_after" == 2.36-* ]]; echo $?)" "$libc_before -> $libc_after"
check "root apt sources and pins unchanged" "$(same root/apt; echo $?)" "$(grep -c ' f ' "$WORK/after/root/apt" || true) files"
check "root package list (dpkg -l) unchanged" "$(same root/packages; echo $?)" "$(grep -c '^ii' "$WORK/after/root/packages") packages"
check "root os-release unchanged" "$(same root/os-release; echo $?)" "$(cat "$WORK/after/root/os-release")"
check "host apt sources, pins and package list unchanged" \
  "$(same host/apt && same host/packages && same host/libc6; echo $?)" "libc6 $(cat "$WORK/after/host/libc6")"

{
  echo "Debian 12 verification of commit ${COMMIT:0:12} on $(date -u '+%Y-%m-%d %H:%M UTC'), root $ROOT"
  printf '%s\n' "${SUMMARY[@]}"
  echo "RESULT: $RESULT"
} | tee "$WORK/summary.txt"
for f in root/apt root/packages host/apt host/packages; do
  same "$f" || { echo "--- differences in $f:"; diff "$WORK/before/$f" "$WORK/after/$f" | head -40; }
done
[ "$RESULT" = PASS ]
