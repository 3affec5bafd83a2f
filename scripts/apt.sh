# Sourced by scripts/setup.sh and scripts/setup-models.sh: apt-get that waits for the package manager's
# locks (another apt, dpkg or unattended-upgrades) instead of failing, for up to SETUP_APT_LOCK_TIMEOUT
# seconds (default 300), printing one line while it waits and a clear error when the time is up.
# apt 2.6 waits for /var/lib/dpkg/lock-frontend itself (DPkg::Lock::Timeout) but not for
# /var/lib/apt/lists/lock (apt-get update), so the holders are also looked up here, in /proc/locks.

apt_lock_timeout=${SETUP_APT_LOCK_TIMEOUT:-300}
apt_sudo=()
[[ $(id -u) -eq 0 ]] || apt_sudo=(sudo)

# Prints "pid (command) on lockfile" for a process holding one of the package manager's locks, or nothing.
apt_lock_holder() {
  local lock inode pid
  for lock in /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock; do
    inode=$(stat -c %i "$lock" 2>/dev/null) || continue
    # /proc/locks: "1: POSIX  ADVISORY  WRITE 11482 fe:00:408867 0 EOF" (pid, then major:minor:inode)
    pid=$(awk -v ino=":$inode" '{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9a-f]+:[0-9a-f]+:[0-9]+$/ && substr($i, length($i) - length(ino) + 1) == ino) { print $(i - 1); exit } }' /proc/locks 2>/dev/null)
    [[ -n $pid && $pid != "$$" ]] || continue
    echo "$pid ($({ tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null | cut -c1-80 | sed 's/ *$//')) on $lock"
    return 0
  done
  return 0
}

# apt_get ARGS...: sudo apt-get ARGS, waiting for the locks; stdout passes through, stderr is shown on failure.
apt_get() {
  local deadline=$((SECONDS + apt_lock_timeout)) waited= holder err rc
  err=$(mktemp)
  while :; do
    holder=$(apt_lock_holder)
    if [[ -n $holder ]]; then
      if ((SECONDS >= deadline)); then
        echo "setup: ERROR: the package manager is still busy after ${apt_lock_timeout} s (lock held by $holder);" \
          "run this again when it has finished, or set SETUP_APT_LOCK_TIMEOUT=<seconds> to wait longer" >&2
        rm -f "$err"
        return 1
      fi
      [[ -n $waited ]] || echo "setup: waiting up to ${apt_lock_timeout} s for the package manager (lock held by $holder)" >&2
      waited=1
      sleep 2
      continue
    fi
    rc=0
    DEBIAN_FRONTEND=noninteractive "${apt_sudo[@]}" apt-get -o DPkg::Lock::Timeout=$((deadline > SECONDS ? deadline - SECONDS : 1)) "$@" 2>"$err" || rc=$?
    # Someone took a lock between the look-up and apt-get's start: wait again.
    if ((rc != 0)) && grep -q -E 'Could not get lock|Unable to lock|Unable to acquire the dpkg frontend lock' "$err" && ((SECONDS < deadline)); then
      [[ -n $waited ]] || echo "setup: waiting up to ${apt_lock_timeout} s for the package manager (another apt or dpkg holds its lock)" >&2
      waited=1
      sleep 2
      continue
    fi
    if ((rc != 0)); then
      cat "$err" >&2
      grep -q -E 'Could not get lock|Unable to lock' "$err" &&
        echo "setup: ERROR: the package manager is still busy after ${apt_lock_timeout} s; run this again when it has finished, or set SETUP_APT_LOCK_TIMEOUT=<seconds> to wait longer" >&2
    fi
    rm -f "$err"
    return "$rc"
  done
}
