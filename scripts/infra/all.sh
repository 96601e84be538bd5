#!/usr/bin/env bash
# All local test servers at once: Redis (16379), Kafka (19092) and Elasticsearch (19200).
#   bash scripts/infra/all.sh start|stop|status
# start: downloads what is missing (one at a time: they share Maven's local repository), starts Redis,
# then Kafka and Elasticsearch side by side, writes .cache/infra/env.sh and prints its export line on
# stdout (progress goes to stderr), so `eval "$(bash scripts/infra/all.sh start)"` works. When one
# server fails to start, the servers this call started are stopped again and the exit status is 1.
set -euo pipefail

# shellcheck source=scripts/infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SERVICES=(redis kafka elasticsearch)
ENV_FILE="${CACHE_DIR}/env.sh"
OFFSET=$((${TRIBUTARY_INFRA_PORT_OFFSET:-0}))
ENV_LINE="export TRIBUTARY_TEST_KAFKA_BROKERS=127.0.0.1:$((19092 + OFFSET)) TRIBUTARY_TEST_REDIS_URL=redis://127.0.0.1:$((16379 + OFFSET)) TRIBUTARY_TEST_ELASTICSEARCH_URL=http://127.0.0.1:$((19200 + OFFSET))"

svc() { bash "${INFRA_DIR}/$1.sh" "${@:2}"; }

cmd_start() {
  local t0 s
  t0="$(now_s)"
  mkdir -p "${CACHE_DIR}"
  local -A was_running=()
  for s in "${SERVICES[@]}"; do
    if svc "${s}" status >/dev/null 2>&1; then was_running[${s}]=1; fi
  done
  {
    svc kafka fetch
    svc elasticsearch fetch
  } >&2

  local -A rc=()
  rc[redis]=0
  svc redis start >&2 || rc[redis]=$?
  local kafka_pid es_pid
  svc kafka start >&2 &
  kafka_pid=$!
  svc elasticsearch start >&2 &
  es_pid=$!
  rc[kafka]=0
  wait "${kafka_pid}" || rc[kafka]=$?
  rc[elasticsearch]=0
  wait "${es_pid}" || rc[elasticsearch]=$?

  local failed=()
  for s in "${SERVICES[@]}"; do
    ((rc[${s}] == 0)) || failed+=("${s}")
  done
  if ((${#failed[@]} > 0)); then
    err "all: failed to start: ${failed[*]}; stopping the servers this call started"
    for s in "${SERVICES[@]}"; do
      [[ -n "${was_running[${s}]:-}" ]] || svc "${s}" stop >&2 || true
    done
    exit 1
  fi
  printf '# Written by scripts/infra/all.sh start: the local test servers.\n%s\n' "${ENV_LINE}" >"${ENV_FILE}"
  err "all: ready in $(elapsed_since "${t0}")s; env in ${ENV_FILE#"${ROOT_DIR}"/}"
  printf '%s\n' "${ENV_LINE}"
}

cmd_stop() {
  local s failed=()
  for ((i = ${#SERVICES[@]} - 1; i >= 0; i--)); do
    s="${SERVICES[i]}"
    svc "${s}" stop || failed+=("${s}")
  done
  if ((${#failed[@]} > 0)); then
    err "all: failed to stop: ${failed[*]}"
    exit 1
  fi
}

cmd_status() {
  local s status=0
  for s in "${SERVICES[@]}"; do
    svc "${s}" status || status=3
  done
  return "${status}"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *)
    err "usage: $0 start|stop|status"
    exit 2
    ;;
esac
