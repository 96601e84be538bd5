# shellcheck shell=bash
# Shared helpers for the local test servers in scripts/infra/ (sourced, not run).
# Everything binds to 127.0.0.1; every download and every data/log/pid file lives under .cache/infra/.

INFRA_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "${INFRA_DIR}/../.." && pwd)"
CACHE_DIR="${ROOT_DIR}/.cache/infra"
# The version of the maven-dependency-plugin used for every download (pinned: no "latest" look-ups).
MVN_DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
# Extra arguments for every mvn call, e.g. TRIBUTARY_INFRA_MAVEN_ARGS='-Dmaven.repo.local=/tmp/m2'.
# shellcheck disable=SC2034 # used by the scripts that source this file
read -r -a MAVEN_EXTRA_ARGS <<<"${TRIBUTARY_INFRA_MAVEN_ARGS:-}"
export INFRA_DIR ROOT_DIR CACHE_DIR MVN_DEPENDENCY_PLUGIN

log() { printf '%s\n' "$*"; }
err() { printf '%s\n' "$*" >&2; }

# now_s: seconds since the epoch with microseconds (bash 5's EPOCHREALTIME).
now_s() { printf '%s' "${EPOCHREALTIME}"; }
# elapsed_since START: seconds since START with one decimal.
elapsed_since() { awk -v a="$1" -v b="${EPOCHREALTIME}" 'BEGIN { printf "%.1f", b - a }'; }

# port_open PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# pid_alive PID: true when PID is a live process (not a zombie).
pid_alive() {
  local pid="$1" state
  [[ "${pid}" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/${pid}/stat" ]] || return 1
  state="$(awk '{ print $3 }' "/proc/${pid}/stat" 2>/dev/null || true)"
  [[ -n "${state}" && "${state}" != "Z" ]]
}

# pid_matches PID NEEDLE: PID is alive and its command line contains NEEDLE (guards against reused pids).
pid_matches() {
  local pid="$1" needle="$2"
  pid_alive "${pid}" || return 1
  tr '\0' ' ' <"/proc/${pid}/cmdline" 2>/dev/null | grep -qF -- "${needle}"
}

# read_pid PIDFILE: prints the pid in PIDFILE, or nothing.
read_pid() {
  [[ -s "$1" ]] || return 0
  tr -dc '0-9' <"$1"
}

# stop_pid NAME PID TIMEOUT_S: SIGTERM, wait up to TIMEOUT_S for the exit, then SIGKILL and wait again.
stop_pid() {
  local name="$1" pid="$2" timeout="$3" waited=0
  pid_alive "${pid}" || return 0
  kill -TERM "${pid}" 2>/dev/null || true
  while pid_alive "${pid}"; do
    if ((waited >= timeout * 10)); then
      err "${name}: pid ${pid} still running after ${timeout}s, sending SIGKILL"
      kill -KILL "${pid}" 2>/dev/null || true
      local k=0
      while pid_alive "${pid}" && ((k < 100)); do
        sleep 0.1
        k=$((k + 1))
      done
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  ! pid_alive "${pid}"
}

# rss_mb PID: resident set size of PID in MiB (0 when gone).
rss_mb() {
  local kb
  kb="$(awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || true)"
  awk -v kb="${kb:-0}" 'BEGIN { printf "%.0f", kb / 1024 }'
}

# show_log NAME FILE...: the last 80 lines of each existing FILE, on stderr.
show_log() {
  local name="$1" file
  shift
  for file in "$@"; do
    [[ -s "${file}" ]] || continue
    err "----- ${name}: last 80 lines of ${file} -----"
    tail -n 80 "${file}" >&2
    err "----- end of ${file} -----"
  done
}

# with_lock NAME: serialise start/stop of one server across concurrent callers (fd 9, released on exit).
with_lock() {
  mkdir -p "${CACHE_DIR}"
  exec 9>"${CACHE_DIR}/.$1.lock"
  flock -w 600 9 || {
    err "$1: could not get ${CACHE_DIR}/.$1.lock within 600s"
    exit 1
  }
}

# java_major JAVA_BIN: the feature version of that java (17, 21, 25...), or 0.
java_major() {
  local line
  line="$("$1" -version 2>&1 | awk -F'"' '/version/ { print $2; exit }')" || true
  line="${line#1.}"
  line="${line%%[.+-]*}"
  [[ "${line}" =~ ^[0-9]+$ ]] || line=0
  printf '%s' "${line}"
}

# find_java MIN_MAJOR [PREFERRED_HOME...]: prints a JAVA_HOME whose java is at least MIN_MAJOR.
# Order: the preferred homes given, $JAVA_HOME, the java on PATH, then /usr/lib/jvm/*.
find_java() {
  local min="$1" home candidate
  shift
  local -a homes=("$@")
  [[ -n "${JAVA_HOME:-}" ]] && homes+=("${JAVA_HOME}")
  if candidate="$(command -v java 2>/dev/null)"; then
    homes+=("$(dirname "$(dirname "$(readlink -f "${candidate}")")")")
  fi
  for home in /usr/lib/jvm/*; do homes+=("${home}"); done
  for home in "${homes[@]}"; do
    [[ -n "${home}" && -x "${home}/bin/java" ]] || continue
    if (($(java_major "${home}/bin/java") >= min)); then
      printf '%s' "${home}"
      return 0
    fi
  done
  return 1
}

# require_mvn NAME: fail with an install hint when Maven is missing.
require_mvn() {
  command -v mvn >/dev/null 2>&1 && return 0
  err "$1: Maven (mvn) is needed for the first-run download: apt-get install maven"
  exit 1
}
