#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft, combined broker+controller) for integration tests.
#   bash scripts/infra/kafka.sh start|stop|status|fetch
# Broker 127.0.0.1:19092, controller 127.0.0.1:19093. Jars come from Maven Central through mvn
# (scripts/infra/kafka-pom.xml) into .cache/infra/kafka-<version>/libs, once; state, data, log and pid
# file live in .cache/infra/kafka/. Data survives stop/start; delete .cache/infra/kafka/data to reset.
set -euo pipefail

# shellcheck source=scripts/infra/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_VERSION="${TRIBUTARY_KAFKA_VERSION:-4.4.0}"
# TRIBUTARY_INFRA_PORT_OFFSET shifts every port, so a second checkout's servers can run beside these.
KAFKA_PORT=$((19092 + ${TRIBUTARY_INFRA_PORT_OFFSET:-0}))
KAFKA_CONTROLLER_PORT=$((19093 + ${TRIBUTARY_INFRA_PORT_OFFSET:-0}))
KAFKA_HEAP="${TRIBUTARY_KAFKA_HEAP:--Xms128m -Xmx512m}"
# C1 only: a much faster start on a small, busy machine; a test broker does not need peak throughput.
# TRIBUTARY_KAFKA_JAVA_OPTS='' gives the JVM defaults back.
KAFKA_JAVA_OPTS="${TRIBUTARY_KAFKA_JAVA_OPTS--XX:TieredStopAtLevel=1}"
START_TIMEOUT_S="${TRIBUTARY_KAFKA_START_TIMEOUT:-180}"
LIBS_DIR="${CACHE_DIR}/kafka-${KAFKA_VERSION}/libs"
STATE_DIR="${CACHE_DIR}/kafka"
DATA_DIR="${STATE_DIR}/data"
PID_FILE="${STATE_DIR}/kafka.pid"
LOG_FILE="${STATE_DIR}/server.log"
CONFIG_FILE="${STATE_DIR}/server.properties"
LOG4J_FILE="${STATE_DIR}/log4j2.properties"

running_pid() {
  local pid
  pid="$(read_pid "${PID_FILE}")"
  [[ -n "${pid}" ]] && pid_matches "${pid}" "${CONFIG_FILE}" && printf '%s' "${pid}"
}

cmd_fetch() {
  [[ -f "${LIBS_DIR}/.complete" ]] && return 0
  require_mvn kafka
  log "kafka: downloading jars for ${KAFKA_VERSION} (first run only)..."
  local t0 tmp
  t0="$(now_s)"
  tmp="${LIBS_DIR}.tmp.$$"
  rm -rf "${tmp}"
  mkdir -p "${tmp}"
  if ! mvn -B -q "${MAVEN_EXTRA_ARGS[@]}" -f "${INFRA_DIR}/kafka-pom.xml" -Dkafka.version="${KAFKA_VERSION}" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="${tmp}" >"${tmp}.mvn.log" 2>&1; then
    show_log kafka "${tmp}.mvn.log"
    err "kafka: mvn could not fetch org.apache.kafka:kafka_2.13:${KAFKA_VERSION}"
    rm -rf "${tmp}"
    exit 1
  fi
  rm -f "${tmp}.mvn.log"
  touch "${tmp}/.complete"
  rm -rf "${LIBS_DIR}"
  mv "${tmp}" "${LIBS_DIR}"
  log "kafka: $(find "${LIBS_DIR}" -name '*.jar' | wc -l) jars in ${LIBS_DIR#"${ROOT_DIR}"/} ($(elapsed_since "${t0}")s)"
}

write_config() {
  mkdir -p "${STATE_DIR}" "${DATA_DIR}"
  cat >"${CONFIG_FILE}" <<EOF
# Written by scripts/infra/kafka.sh (Kafka ${KAFKA_VERSION}); regenerated on every start.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:${KAFKA_CONTROLLER_PORT}
listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT},CONTROLLER://127.0.0.1:${KAFKA_CONTROLLER_PORT}
advertised.listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT}
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${DATA_DIR}
auto.create.topics.enable=true
delete.topic.enable=true
num.partitions=4
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=4
log.retention.hours=24
log.segment.bytes=16777216
EOF
  cat >"${LOG4J_FILE}" <<'EOF'
# Written by scripts/infra/kafka.sh: everything to stdout, which kafka.sh sends to server.log.
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.apache.name = org.apache.kafka
logger.apache.level = INFO
logger.controller.name = kafka.controller
logger.controller.level = INFO
logger.statechange.name = state.change.logger
logger.statechange.level = WARN
logger.request.name = kafka.request.logger
logger.request.level = WARN
EOF
}

# A Kafka Uuid: 16 random bytes, URL-safe base64 without padding, not starting with '-' (as Uuid.randomUuid).
random_cluster_id() {
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    [[ "${id}" != -* ]] && break
  done
  printf '%s' "${id}"
}

format_storage() {
  local java="$1" version_file="${DATA_DIR}/.tributary-kafka-version"
  # Storage formatted by another Kafka version (e.g. after switching versions) is wiped, not migrated.
  if [[ -f "${DATA_DIR}/meta.properties" && "$(cat "${version_file}" 2>/dev/null || true)" != "${KAFKA_VERSION}" ]]; then
    log "kafka: data dir was formatted by another Kafka version, wiping ${DATA_DIR#"${ROOT_DIR}"/}"
    rm -rf "${DATA_DIR}"
    mkdir -p "${DATA_DIR}"
  fi
  [[ -f "${DATA_DIR}/meta.properties" ]] && return 0
  local cluster_id
  cluster_id="$(random_cluster_id)"
  if ! "${java}" -Xmx256m -Dlog4j2.configurationFile="${LOG4J_FILE}" -cp "${LIBS_DIR}/*" kafka.tools.StorageTool \
    format --config "${CONFIG_FILE}" --cluster-id "${cluster_id}" --standalone --ignore-formatted \
    >"${STATE_DIR}/format.log" 2>&1; then
    show_log kafka "${STATE_DIR}/format.log"
    err "kafka: formatting the storage failed"
    exit 1
  fi
  printf '%s\n' "${KAFKA_VERSION}" >"${version_file}"
  log "kafka: formatted storage (cluster id ${cluster_id})"
}

cmd_start() {
  with_lock kafka
  local pid
  if pid="$(running_pid)"; then
    log "kafka: already running (pid ${pid}) on 127.0.0.1:${KAFKA_PORT}"
    return 0
  fi
  local port
  for port in "${KAFKA_PORT}" "${KAFKA_CONTROLLER_PORT}"; do
    if port_open "${port}"; then
      err "kafka: 127.0.0.1:${port} is already in use by a process kafka.sh did not start"
      exit 1
    fi
  done
  cmd_fetch
  local java_home java
  if ! java_home="$(find_java 17 "${TRIBUTARY_KAFKA_JAVA_HOME:-}")"; then
    err "kafka: needs Java 17 or newer: apt-get install openjdk-17-jre-headless"
    exit 1
  fi
  java="${java_home}/bin/java"
  write_config
  format_storage "${java}"

  [[ -f "${LOG_FILE}" ]] && mv -f "${LOG_FILE}" "${LOG_FILE}.1"
  log "kafka: starting ${KAFKA_VERSION} ($(basename "${java_home}"))..."
  local t0
  t0="$(now_s)"
  # shellcheck disable=SC2086 # KAFKA_HEAP and KAFKA_JAVA_OPTS are lists of JVM flags
  setsid nohup "${java}" ${KAFKA_HEAP} ${KAFKA_JAVA_OPTS} -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExitOnOutOfMemoryError \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="${LOG4J_FILE}" -Dkafka.logs.dir="${STATE_DIR}" \
    -cp "${LIBS_DIR}/*" kafka.Kafka "${CONFIG_FILE}" >>"${LOG_FILE}" 2>&1 </dev/null 9>&- &
  pid=$!
  printf '%s\n' "${pid}" >"${PID_FILE}"

  local deadline=$((SECONDS + START_TIMEOUT_S))
  while :; do
    if ! pid_alive "${pid}"; then
      show_log kafka "${LOG_FILE}"
      err "kafka: the broker exited during start-up"
      rm -f "${PID_FILE}"
      exit 1
    fi
    if port_open "${KAFKA_PORT}" && node "${INFRA_DIR}/kafka-ready.mjs" "127.0.0.1:${KAFKA_PORT}" >/dev/null 2>&1; then
      break
    fi
    if ((SECONDS >= deadline)); then
      show_log kafka "${LOG_FILE}"
      err "kafka: not ready within ${START_TIMEOUT_S}s, stopping it"
      stop_pid kafka "${pid}" 30 || true
      rm -f "${PID_FILE}"
      exit 1
    fi
    sleep 0.5
  done
  log "kafka: ready on 127.0.0.1:${KAFKA_PORT} in $(elapsed_since "${t0}")s (pid ${pid})"
}

cmd_stop() {
  with_lock kafka
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "${PID_FILE}"
    log "kafka: not running"
    return 0
  fi
  log "kafka: stopping (pid ${pid})..."
  if ! stop_pid kafka "${pid}" 60; then
    err "kafka: pid ${pid} did not exit"
    exit 1
  fi
  rm -f "${PID_FILE}"
  log "kafka: stopped"
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    log "kafka: running (pid ${pid}, rss $(rss_mb "${pid}") MiB) on 127.0.0.1:${KAFKA_PORT}, Kafka ${KAFKA_VERSION}"
    return 0
  fi
  log "kafka: stopped"
  return 3
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  fetch) cmd_fetch ;;
  *)
    err "usage: $0 start|stop|status|fetch"
    exit 2
    ;;
esac
