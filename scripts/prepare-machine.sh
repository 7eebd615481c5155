#!/usr/bin/env bash
# Installs and starts what zsentinel's lab and tests need on a Debian machine, when missing:
# zfs-fuse (daemon answering `zpool list`) and pv (the transfers' meter and limiter); with --postgres, Debian's PostgreSQL with a test role and
# database; with --chromium, Debian's Chromium for the dashboard's browser test (about 30 s to install).
# Idempotent: a second run changes nothing.
set -euo pipefail

want_postgres=no
want_chromium=no
for arg in "$@"; do
  case "$arg" in
    --postgres) want_postgres=yes ;;
    --chromium) want_chromium=yes ;;
    *) echo "prepare-machine: unknown argument $arg" >&2; exit 2 ;;
  esac
done

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "prepare-machine: need root to run: $*" >&2; exit 1; fi
}

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "prepare-machine: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 || {
    as_root apt-get update -q >/dev/null
    as_root apt-get install -y -q "${missing[@]}" >/dev/null
  }
}

if ! command -v java >/dev/null; then apt_install openjdk-17-jdk-headless; fi
apt_install zfs-fuse pv
PATH="$PATH:/usr/sbin:/sbin"

if ! timeout 10 zpool list >/dev/null 2>&1; then
  # A daemon still unmounting from a stop exits at once when a new one starts: wait for it first.
  for _ in $(seq 1 60); do pgrep -x zfs-fuse >/dev/null || break; sleep 0.5; done
  echo "prepare-machine: starting zfs-fuse"
  as_root zfs-fuse
  for _ in $(seq 1 60); do timeout 5 zpool list >/dev/null 2>&1 && break; sleep 0.5; done
  timeout 5 zpool list >/dev/null 2>&1 || { echo "prepare-machine: zfs-fuse did not answer zpool list" >&2; exit 1; }
fi

if [ "$want_postgres" = yes ]; then
  apt_install postgresql
  version=$(ls /etc/postgresql 2>/dev/null | sort -n | tail -1)
  if ! as_root pg_ctlcluster "$version" main status >/dev/null 2>&1; then
    echo "prepare-machine: starting PostgreSQL $version"
    as_root pg_ctlcluster "$version" main start
  fi
  for _ in $(seq 1 60); do as_root su postgres -c "psql -qtAc 'select 1'" >/dev/null 2>&1 && break; sleep 0.5; done
  as_root su postgres -c "psql -qtAc \"select 1 from pg_roles where rolname='zsentinel'\"" | grep -q 1 ||
    as_root su postgres -c "psql -qc \"create role zsentinel login password 'zsentinel'\""
  as_root su postgres -c "psql -qtAc \"select 1 from pg_database where datname='zsentinel_test'\"" | grep -q 1 ||
    as_root su postgres -c "psql -qc 'create database zsentinel_test owner zsentinel'"
fi

if [ "$want_chromium" = yes ]; then
  apt_install chromium
fi
