#!/usr/bin/env bash
# Local Redis for integration tests, on 127.0.0.1:16379 (never the machine's own 6379).
#   bash scripts/infra/redis.sh start|stop|status
# Debian's redis-server (installed with apt-get when missing and running as root), daemonized, with
# pid file, log and data dir in .cache/infra/redis/. No RDB snapshots; append-only file on, so data
# survives stop/start (restart tests). Delete .cache/infra/redis/data to reset.
set -euo pipefail

# shellcheck source=scripts/infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

REDIS_PORT=$((16379 + ${TRIBUTARY_INFRA_PORT_OFFSET:-0}))
START_TIMEOUT_S="${TRIBUTARY_REDIS_START_TIMEOUT:-30}"
STATE_DIR="${CACHE_DIR}/redis"
DATA_DIR="${STATE_DIR}/data"
PID_FILE="${STATE_DIR}/redis.pid"
LOG_FILE="${STATE_DIR}/redis.log"

running_pid() {
  local pid
  pid="$(read_pid "${PID_FILE}")"
  [[ -n "${pid}" ]] && pid_matches "${pid}" "127.0.0.1:${REDIS_PORT}" && printf '%s' "${pid}"
}

ping_ok() {
  [[ "$(redis-cli -h 127.0.0.1 -p "${REDIS_PORT}" ping 2>/dev/null || true)" == "PONG" ]]
}

ensure_installed() {
  command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 && return 0
  if ((EUID != 0)); then
    err "redis: redis-server is not installed: sudo apt-get install -y redis-server"
    exit 1
  fi
  log "redis: installing redis-server with apt-get (first run only)..."
  local t0
  t0="$(now_s)"
  # Installing the package enables the distribution's own service on 6379; it is left alone.
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; } \
    >"${CACHE_DIR}/redis-apt.log" 2>&1; then
    show_log redis "${CACHE_DIR}/redis-apt.log"
    err "redis: apt-get install redis-server failed"
    exit 1
  fi
  log "redis: installed $(redis-server --version | awk '{ print $3 }' | sed 's/^v=//') ($(elapsed_since "${t0}")s)"
}

cmd_start() {
  with_lock redis
  local pid
  if pid="$(running_pid)"; then
    log "redis: already running (pid ${pid}) on 127.0.0.1:${REDIS_PORT}"
    return 0
  fi
  if port_open "${REDIS_PORT}"; then
    err "redis: 127.0.0.1:${REDIS_PORT} is already in use by a process redis.sh did not start"
    exit 1
  fi
  ensure_installed
  mkdir -p "${DATA_DIR}"
  rm -f "${PID_FILE}"
  [[ -f "${LOG_FILE}" ]] && mv -f "${LOG_FILE}" "${LOG_FILE}.1"
  local t0
  t0="$(now_s)"
  # The server name in the process title ("redis-server 127.0.0.1:16379") is what running_pid matches.
  if ! redis-server --bind 127.0.0.1 --port "${REDIS_PORT}" --protected-mode yes \
    --daemonize yes --pidfile "${PID_FILE}" --logfile "${LOG_FILE}" --dir "${DATA_DIR}" \
    --save "" --appendonly yes --appendfsync everysec --supervised no 9>&-; then
    show_log redis "${LOG_FILE}"
    err "redis: redis-server failed to start"
    exit 1
  fi
  local deadline=$((SECONDS + START_TIMEOUT_S))
  until ping_ok; do
    if ((SECONDS >= deadline)); then
      show_log redis "${LOG_FILE}"
      err "redis: no PONG within ${START_TIMEOUT_S}s"
      pid="$(read_pid "${PID_FILE}")"
      if [[ -n "${pid}" ]]; then
        stop_pid redis "${pid}" 10 || true
      fi
      exit 1
    fi
    sleep 0.1
  done
  # The pid file is written after daemonizing; wait for it so stop/status can find the process.
  until pid="$(running_pid)"; do
    if ((SECONDS >= deadline)); then
      show_log redis "${LOG_FILE}"
      err "redis: answers PONG but ${PID_FILE} names no redis-server on ${REDIS_PORT}"
      exit 1
    fi
    sleep 0.1
  done
  log "redis: ready on 127.0.0.1:${REDIS_PORT} in $(elapsed_since "${t0}")s (pid ${pid}, $(redis-server --version | awk '{ print $3 }' | sed 's/^v=//'))"
}

cmd_stop() {
  with_lock redis
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "${PID_FILE}"
    log "redis: not running"
    return 0
  fi
  log "redis: stopping (pid ${pid})..."
  # SIGTERM: redis flushes the append-only file and exits.
  if ! stop_pid redis "${pid}" 30; then
    err "redis: pid ${pid} did not exit"
    exit 1
  fi
  rm -f "${PID_FILE}"
  log "redis: stopped"
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    log "redis: running (pid ${pid}, rss $(rss_mb "${pid}") MiB) on 127.0.0.1:${REDIS_PORT}"
    return 0
  fi
  log "redis: stopped"
  return 3
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
