#!/usr/bin/env bash
# Runs a command with the local test servers up:
#   bash scripts/infra/with-servers.sh <command...>      (npm run test:integration uses this)
# Starts Redis, Kafka and Elasticsearch (scripts/infra/all.sh start), exports the TRIBUTARY_TEST_*
# variables from .cache/infra/env.sh, runs the command, stops the servers it started, and exits with the
# command's exit status.
#
# Several runs may overlap (several people or terminals in one working tree): each run registers itself
# under .cache/infra/with-servers/, and the servers that a with-servers run started are stopped by the
# last run to leave, so no run pulls a server from under another one. Servers that were already running
# before any with-servers run (started with all.sh/kafka.sh/... by hand) are never stopped here.
set -euo pipefail

# shellcheck source=scripts/infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if (($# == 0)); then
  err "usage: $0 <command...>"
  exit 2
fi

SERVICES=(redis kafka elasticsearch)
USERS_DIR="${CACHE_DIR}/with-servers"
STARTED_FILE="${USERS_DIR}/started" # services started by with-servers runs, one a line
mkdir -p "${USERS_DIR}"

# The start time of a process (field 22 of /proc/PID/stat): with the pid it names one process for good.
proc_start() { awk '{ print $22 }' "/proc/$1/stat" 2>/dev/null || true; }

# Removes registrations of runs that are gone (killed with SIGKILL, machine rebooted...).
prune_users() {
  local f pid
  for f in "${USERS_DIR}"/run.*; do
    [[ -e "${f}" ]] || continue
    pid="${f##*.}"
    if [[ "$(proc_start "${pid}")" != "$(cat "${f}" 2>/dev/null || true)" ]]; then rm -f "${f}"; fi
  done
}

live_users() {
  local f n=0
  for f in "${USERS_DIR}"/run.*; do
    [[ -e "${f}" ]] && n=$((n + 1))
  done
  printf '%s' "${n}"
}

# Register this run, and note which servers are down now (this run or a concurrent one will start them).
exec 8>"${USERS_DIR}/.lock"
flock -w 900 8 || {
  err "with-servers: could not get ${USERS_DIR}/.lock within 900s"
  exit 1
}
prune_users
if (($(live_users) == 0)); then rm -f "${STARTED_FILE}"; fi
for s in "${SERVICES[@]}"; do
  if ! bash "${INFRA_DIR}/${s}.sh" status >/dev/null 2>&1 && ! grep -qx "${s}" "${STARTED_FILE}" 2>/dev/null; then
    printf '%s\n' "${s}" >>"${STARTED_FILE}"
  fi
done
proc_start $$ >"${USERS_DIR}/run.$$"
flock -u 8

# shellcheck disable=SC2317 # called by the EXIT trap
leave() {
  flock -w 900 8 || true
  rm -f "${USERS_DIR}/run.$$"
  prune_users
  if (($(live_users) == 0)) && [[ -f "${STARTED_FILE}" ]]; then
    local i s
    for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
      s="${SERVICES[i]}"
      if grep -qx "${s}" "${STARTED_FILE}"; then bash "${INFRA_DIR}/${s}.sh" stop >&2 || true; fi
    done
    rm -f "${STARTED_FILE}"
  elif (($(live_users) > 0)); then
    err "with-servers: $(live_users) other run(s) still use the servers; leaving them up"
  fi
  flock -u 8 || true
}
trap leave EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bash "${INFRA_DIR}/all.sh" start 8>&- >/dev/null
# shellcheck source=/dev/null
source "${CACHE_DIR}/env.sh"

status=0
"$@" 8>&- || status=$?
exit "${status}"
