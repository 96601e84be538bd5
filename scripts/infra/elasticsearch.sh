#!/usr/bin/env bash
# Local single-node Elasticsearch 8 for integration tests.
#   bash scripts/infra/elasticsearch.sh start|stop|status|fetch
# HTTP 127.0.0.1:19200, transport 127.0.0.1:19300, security off, 512 MiB heap. The distribution is the
# Maven Central artifact org.elasticsearch.distribution.integ-test-zip:elasticsearch:<ver>:zip, unpacked
# once into .cache/infra/elasticsearch-<ver>/; config, data, logs and pid file live in
# .cache/infra/elasticsearch/. Elasticsearch refuses to run as root, so as root it runs as the system
# user tributary-es (created when missing). Data survives stop/start; delete
# .cache/infra/elasticsearch/data to reset.
set -euo pipefail

# shellcheck source=scripts/infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ES_VERSION="${TRIBUTARY_ELASTICSEARCH_VERSION:-8.19.21}"
ES_ARTIFACT="org.elasticsearch.distribution.integ-test-zip:elasticsearch:${ES_VERSION}:zip"
ES_HTTP_PORT=$((19200 + ${TRIBUTARY_INFRA_PORT_OFFSET:-0}))
ES_TRANSPORT_PORT=$((19300 + ${TRIBUTARY_INFRA_PORT_OFFSET:-0}))
ES_HEAP="${TRIBUTARY_ELASTICSEARCH_HEAP:-512m}"
ES_USER="tributary-es"
# Server JVM flags on top of the distribution's. C1 only (TieredStopAtLevel=1) roughly halves the start-up
# time on a small, busy machine; no pre-touching of the heap keeps the idle RSS down. A test node does not
# need peak throughput. Override with TRIBUTARY_ELASTICSEARCH_JAVA_OPTS (empty = distribution defaults).
ES_JAVA_OPTS_DEFAULT="-XX:TieredStopAtLevel=1 -XX:-AlwaysPreTouch"
# The same for the short-lived launcher JVM (CLI_JAVA_OPTS is read by bin/elasticsearch).
ES_CLI_JAVA_OPTS_DEFAULT="-XX:TieredStopAtLevel=1"
START_TIMEOUT_S="${TRIBUTARY_ELASTICSEARCH_START_TIMEOUT:-300}"
CLUSTER_NAME="tributary-test"

# Where the distribution and the state live. Normally under .cache/infra; when running as root in a
# checkout the tributary-es user cannot reach (e.g. under /root), under /var/lib/tributary-es instead,
# with .cache/infra/elasticsearch as a symlink to the state there.
ES_BASE="${CACHE_DIR}"

set_paths() {
  DIST_HOME="${ES_BASE}/elasticsearch-${ES_VERSION}/elasticsearch-${ES_VERSION}"
  STATE_DIR="${ES_BASE}/elasticsearch"
  CONF_DIR="${STATE_DIR}/config"
  DATA_DIR="${STATE_DIR}/data"
  LOGS_DIR="${STATE_DIR}/logs"
  TMP_DIR="${STATE_DIR}/tmp"
  PID_FILE="${STATE_DIR}/elasticsearch.pid"
  STARTUP_LOG="${STATE_DIR}/startup.log"
  SERVER_LOG="${LOGS_DIR}/${CLUSTER_NAME}.log"
}

as_es_user() {
  if ((EUID == 0)); then
    setpriv --reuid="${ES_USER}" --regid="${ES_USER}" --init-groups -- "$@"
  else
    "$@"
  fi
}

resolve_base() {
  ES_BASE="${CACHE_DIR}"
  if ((EUID == 0)) && id -u "${ES_USER}" >/dev/null 2>&1; then
    mkdir -p "${CACHE_DIR}"
    if ! as_es_user test -x "${CACHE_DIR}"; then
      ES_BASE="/var/lib/${ES_USER}/$(printf '%s' "${ROOT_DIR}" | sha256sum | cut -c1-12)"
      mkdir -p "${ES_BASE}/elasticsearch"
      chmod 755 "/var/lib/${ES_USER}" "${ES_BASE}"
      if [[ ! -L "${CACHE_DIR}/elasticsearch" ]]; then
        rm -rf "${CACHE_DIR}/elasticsearch"
        ln -s "${ES_BASE}/elasticsearch" "${CACHE_DIR}/elasticsearch"
      fi
    fi
  fi
  set_paths
}

ensure_user() {
  ((EUID == 0)) || return 0
  id -u "${ES_USER}" >/dev/null 2>&1 && return 0
  log "elasticsearch: creating system user ${ES_USER}"
  useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "${ES_USER}"
}

running_pid() {
  local pid
  pid="$(read_pid "${PID_FILE}")"
  [[ -n "${pid}" ]] && pid_matches "${pid}" "org.elasticsearch.bootstrap.Elasticsearch" &&
    pid_matches "${pid}" "${STATE_DIR}" && printf '%s' "${pid}"
}

http_get() {
  if command -v curl >/dev/null 2>&1; then
    curl -fsS --max-time "${2:-10}" "$1"
  else
    node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(Number(process.argv[2]) * 1000) })
      .then(async (r) => { process.stdout.write(await r.text()); process.exit(r.ok ? 0 : 1); })
      .catch(() => process.exit(1));' "$1" "${2:-10}"
  fi
}

cmd_fetch() {
  [[ -f "${DIST_HOME}/.complete" ]] && return 0
  require_mvn elasticsearch
  log "elasticsearch: downloading ${ES_ARTIFACT} (first run only)..."
  local t0 tmp
  t0="$(now_s)"
  tmp="${ES_BASE}/elasticsearch-${ES_VERSION}.tmp.$$"
  rm -rf "${tmp}"
  mkdir -p "${tmp}/unpacked"
  # Run from the temporary dir: without a project the plugin keeps its markers in ./target.
  if ! (cd "${tmp}" && mvn -B -q "${MAVEN_EXTRA_ARGS[@]}" "${MVN_DEPENDENCY_PLUGIN}:unpack" \
    -Dartifact="${ES_ARTIFACT}" -DoutputDirectory="${tmp}/unpacked" -Dmdep.markersDirectory="${tmp}/markers" \
    >"${tmp}/mvn.log" 2>&1); then
    show_log elasticsearch "${tmp}/mvn.log"
    err "elasticsearch: mvn could not fetch ${ES_ARTIFACT}"
    rm -rf "${tmp}"
    exit 1
  fi
  if [[ ! -x "${tmp}/unpacked/elasticsearch-${ES_VERSION}/bin/elasticsearch" ]]; then
    chmod -R a+rX "${tmp}/unpacked"
    find "${tmp}/unpacked/elasticsearch-${ES_VERSION}/bin" -type f ! -name '*.bat' ! -name '*.exe' -exec chmod 755 {} +
  fi
  chmod -R a+rX "${tmp}/unpacked"
  touch "${tmp}/unpacked/elasticsearch-${ES_VERSION}/.complete"
  rm -rf "${ES_BASE}/elasticsearch-${ES_VERSION}"
  mv "${tmp}/unpacked" "${ES_BASE}/elasticsearch-${ES_VERSION}"
  rm -rf "${tmp}"
  log "elasticsearch: unpacked into ${DIST_HOME#"${ROOT_DIR}"/} ($(elapsed_since "${t0}")s)"
}

write_config() {
  mkdir -p "${STATE_DIR}" "${CONF_DIR}" "${DATA_DIR}" "${LOGS_DIR}" "${TMP_DIR}"
  # Fresh copy of the distribution's config on every start; the keystore Elasticsearch creates is kept.
  local f
  for f in jvm.options log4j2.properties roles.yml role_mapping.yml users users_roles; do
    [[ -f "${DIST_HOME}/config/${f}" ]] && cp -f "${DIST_HOME}/config/${f}" "${CONF_DIR}/${f}"
  done
  mkdir -p "${CONF_DIR}/jvm.options.d"
  printf '%s\n' "-Xms${ES_HEAP}" "-Xmx${ES_HEAP}" >"${CONF_DIR}/jvm.options.d/tributary.options"
  {
    printf '%s\n' "# Written by scripts/infra/elasticsearch.sh (Elasticsearch ${ES_VERSION}); regenerated on every start."
    printf '%s\n' "cluster.name: ${CLUSTER_NAME}" "node.name: tributary-es-1"
    printf 'path.data: "%s"\npath.logs: "%s"\n' "${DATA_DIR}" "${LOGS_DIR}"
    printf '%s\n' "network.host: 127.0.0.1" "http.port: ${ES_HTTP_PORT}" "transport.port: ${ES_TRANSPORT_PORT}"
    printf '%s\n' "discovery.type: single-node"
    printf '%s\n' "cluster.routing.allocation.disk.threshold_enabled: false"
    printf '%s\n' "action.destructive_requires_name: false"
    # The integ-test zip ships x-pack-core/x-pack-security, so the setting exists; plain HTTP, no auth.
    if [[ -d "${DIST_HOME}/modules/x-pack-security" ]]; then
      printf '%s\n' "xpack.security.enabled: false"
    fi
    # No outbound downloads (GeoIP databases) from a test node; only applies when the module is there.
    if [[ -d "${DIST_HOME}/modules/ingest-geoip" ]]; then
      printf '%s\n' "ingest.geoip.downloader.enabled: false"
    fi
  } >"${CONF_DIR}/elasticsearch.yml"
  if ((EUID == 0)); then
    chown -R "${ES_USER}:${ES_USER}" "${STATE_DIR}"
  fi
}

cmd_start() {
  ensure_user
  resolve_base
  with_lock elasticsearch
  local pid
  if pid="$(running_pid)"; then
    log "elasticsearch: already running (pid ${pid}) on http://127.0.0.1:${ES_HTTP_PORT}"
    return 0
  fi
  local port
  for port in "${ES_HTTP_PORT}" "${ES_TRANSPORT_PORT}"; do
    if port_open "${port}"; then
      err "elasticsearch: 127.0.0.1:${port} is already in use by a process elasticsearch.sh did not start"
      exit 1
    fi
  done
  cmd_fetch
  local java_home
  if ! java_home="$(find_java 17 "${TRIBUTARY_ELASTICSEARCH_JAVA_HOME:-}")"; then
    err "elasticsearch: needs Java 17 or newer: apt-get install openjdk-17-jre-headless"
    exit 1
  fi
  write_config
  rm -f "${PID_FILE}"
  local f
  for f in "${SERVER_LOG}" "${STARTUP_LOG}"; do
    [[ -f "${f}" ]] && mv -f "${f}" "${f}.1"
  done

  log "elasticsearch: starting ${ES_VERSION} ($(basename "${java_home}"))..."
  local t0 rc=0
  t0="$(now_s)"
  # -d: the launcher waits until the node has started (or failed), then exits, leaving the server JVM.
  (cd "${STATE_DIR}" && as_es_user env HOME="${STATE_DIR}" ES_JAVA_HOME="${java_home}" JAVA_HOME="${java_home}" \
    ES_PATH_CONF="${CONF_DIR}" ES_TMPDIR="${TMP_DIR}" ES_JAVA_OPTS="${TRIBUTARY_ELASTICSEARCH_JAVA_OPTS-${ES_JAVA_OPTS_DEFAULT}}" \
    CLI_JAVA_OPTS="${CLI_JAVA_OPTS-${ES_CLI_JAVA_OPTS_DEFAULT}}" \
    timeout "${START_TIMEOUT_S}" setsid "${DIST_HOME}/bin/elasticsearch" -d -p "${PID_FILE}" \
    >"${STARTUP_LOG}" 2>&1 </dev/null 9>&-) || rc=$?
  if ((rc != 0)); then
    show_log elasticsearch "${STARTUP_LOG}" "${SERVER_LOG}"
    err "elasticsearch: the launcher failed (exit ${rc})"
    pid="$(read_pid "${PID_FILE}")"
    if [[ -n "${pid}" ]]; then
      stop_pid elasticsearch "${pid}" 30 || true
    fi
    exit 1
  fi

  local deadline=$((SECONDS + START_TIMEOUT_S)) health=""
  while :; do
    pid="$(read_pid "${PID_FILE}")"
    if [[ -z "${pid}" ]] || ! pid_alive "${pid}"; then
      show_log elasticsearch "${STARTUP_LOG}" "${SERVER_LOG}"
      err "elasticsearch: the node exited during start-up"
      exit 1
    fi
    if health="$(http_get "http://127.0.0.1:${ES_HTTP_PORT}/_cluster/health?wait_for_status=yellow&timeout=5s" 10 2>/dev/null)" &&
      [[ "${health}" =~ \"status\":\"(yellow|green)\" ]]; then
      break
    fi
    if ((SECONDS >= deadline)); then
      show_log elasticsearch "${STARTUP_LOG}" "${SERVER_LOG}"
      err "elasticsearch: cluster not yellow/green within ${START_TIMEOUT_S}s (last answer: ${health:-none}), stopping it"
      stop_pid elasticsearch "${pid}" 30 || true
      exit 1
    fi
    sleep 0.5
  done
  log "elasticsearch: ready (${BASH_REMATCH[1]}) on http://127.0.0.1:${ES_HTTP_PORT} in $(elapsed_since "${t0}")s (pid ${pid})"
}

cmd_stop() {
  resolve_base
  with_lock elasticsearch
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "${PID_FILE}"
    log "elasticsearch: not running"
    return 0
  fi
  log "elasticsearch: stopping (pid ${pid})..."
  if ! stop_pid elasticsearch "${pid}" 60; then
    err "elasticsearch: pid ${pid} did not exit"
    exit 1
  fi
  rm -f "${PID_FILE}"
  log "elasticsearch: stopped"
}

cmd_status() {
  resolve_base
  local pid
  if pid="$(running_pid)"; then
    log "elasticsearch: running (pid ${pid}, rss $(rss_mb "${pid}") MiB) on http://127.0.0.1:${ES_HTTP_PORT}, Elasticsearch ${ES_VERSION}"
    return 0
  fi
  log "elasticsearch: stopped"
  return 3
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  fetch)
    ensure_user
    resolve_base
    cmd_fetch
    ;;
  *)
    err "usage: $0 start|stop|status|fetch"
    exit 2
    ;;
esac
