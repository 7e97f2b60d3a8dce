#!/usr/bin/env bash
#
# Starts, stops and reports a local single-node KRaft Kafka broker for development.
#
#   deploy/kafka-local.sh start|stop|status [--dir DIR]
#
# The broker runs in the background from the product jar (`driftguard kafka-local`,
# an in-process KRaft broker from Kafka's Maven artifacts) on a free local port, which
# `start` and `status` print as bootstrap.servers=HOST:PORT;
# it creates the driftguard.* topics.
# DIR (default: .driftguard/kafka under the repository root) holds
#   kafka.pid   the broker's process id
#   kafka.log   the broker's standard output and error
#   data/       the broker's storage
#
# Exit codes: 0 success (status: running), 1 failure, 2 bad usage or missing
# jar, 3 status: stopped.
#
# Environment: JAVA_HOME (optional), KAFKA_LOCAL_JAVA_OPTS (extra JVM options,
# split on whitespace, e.g. "-Xmx512m").

set -euo pipefail

readonly READY_TIMEOUT_S=60
readonly STOP_TIMEOUT_S=30

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly ROOT
readonly JAR="${ROOT}/jobs/target/driftguard.jar"

usage() {
  cat <<EOF
Usage: deploy/kafka-local.sh start|stop|status [--dir DIR]

  start    start a single-node KRaft broker on 127.0.0.1:PORT in the background
           and print its bootstrap servers once it is ready (waits up to ${READY_TIMEOUT_S} s)
  stop     stop the broker (TERM, then KILL after ${STOP_TIMEOUT_S} s)
  status   print "running" or "stopped" (exit code 0 or 3)

Options:
  --dir DIR     pid file, log file and broker data (default .driftguard/kafka
                under the repository root)
EOF
}

die_usage() {
  echo "kafka-local: $*" >&2
  echo "Run 'deploy/kafka-local.sh --help' for usage." >&2
  exit 2
}

command=""
dir="${ROOT}/.driftguard/kafka"

while [[ $# -gt 0 ]]; do
  case "$1" in
    -h | --help)
      usage
      exit 0
      ;;
    --dir)
      [[ $# -ge 2 ]] || die_usage "--dir needs a value"
      dir="$2"
      shift 2
      ;;
    --dir=*)
      dir="${1#--dir=}"
      shift
      ;;
    start | stop | status)
      [[ -z "${command}" ]] || die_usage "only one command is allowed"
      command="$1"
      shift
      ;;
    *)
      die_usage "unknown argument: $1"
      ;;
  esac
done

[[ -n "${command}" ]] || die_usage "missing command (start, stop or status)"
[[ -n "${dir}" ]] || die_usage "--dir must not be empty"
mkdir -p "${dir}" 2>/dev/null || {
  echo "kafka-local: cannot create directory ${dir}" >&2
  exit 1
}
dir="$(cd "${dir}" && pwd)"

readonly PID_FILE="${dir}/kafka.pid"
readonly LOG_FILE="${dir}/kafka.log"
readonly DATA_DIR="${dir}/data"

# Prints the recorded pid if that process is alive and is our broker.
running_pid() {
  local pid
  [[ -f "${PID_FILE}" ]] || return 1
  pid="$(tr -dc '0-9' <"${PID_FILE}")"
  [[ -n "${pid}" ]] || return 1
  kill -0 "${pid}" 2>/dev/null || return 1
  # Guard against a recycled pid: the process must be the broker main class.
  if command -v ps >/dev/null 2>&1; then
    ps -p "${pid}" -o args= 2>/dev/null | grep -qF "driftguard.jar kafka-local" || return 1
  fi
  echo "${pid}"
}

bootstrap_line() {
  grep -m 1 -o 'bootstrap\.servers=[^[:space:]]*' "${LOG_FILE}" 2>/dev/null || true
}

java_bin() {
  if [[ -n "${JAVA_HOME:-}" && -x "${JAVA_HOME}/bin/java" ]]; then
    echo "${JAVA_HOME}/bin/java"
  elif command -v java >/dev/null 2>&1; then
    command -v java
  else
    return 1
  fi
}

# Waits for the process to exit; returns 1 if it is still alive after $2 seconds.
wait_for_exit() {
  local pid="$1" deadline=$((SECONDS + $2))
  while kill -0 "${pid}" 2>/dev/null; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
  return 0
}

terminate() {
  local pid="$1"
  kill -TERM "${pid}" 2>/dev/null || true
  if ! wait_for_exit "${pid}" "${STOP_TIMEOUT_S}"; then
    echo "kafka-local: broker did not stop within ${STOP_TIMEOUT_S} s, sending KILL" >&2
    kill -KILL "${pid}" 2>/dev/null || true
    wait_for_exit "${pid}" 5 || true
  fi
  rm -f "${PID_FILE}"
}

do_start() {
  local pid java line deadline
  local -a java_opts=()

  if pid="$(running_pid)"; then
    echo "kafka-local: already running (pid ${pid}), log ${LOG_FILE}" >&2
    line="$(bootstrap_line)"
    [[ -n "${line}" ]] && echo "${line}"
    return 0
  fi
  rm -f "${PID_FILE}"

  if [[ ! -f "${JAR}" ]]; then
    echo "kafka-local: ${JAR} not found; build it first with:" >&2
    echo "  mvn -B -ntp package -DskipTests" >&2
    exit 2
  fi
  java="$(java_bin)" || {
    echo "kafka-local: no java found (set JAVA_HOME or put java on PATH)" >&2
    exit 1
  }
  if [[ -n "${KAFKA_LOCAL_JAVA_OPTS:-}" ]]; then
    read -r -a java_opts <<<"${KAFKA_LOCAL_JAVA_OPTS}"
  fi

  mkdir -p "${DATA_DIR}"
  : >"${LOG_FILE}"
  nohup "${java}" ${java_opts[@]+"${java_opts[@]}"} -jar "${JAR}" kafka-local \
    --dir "${DATA_DIR}" >>"${LOG_FILE}" 2>&1 </dev/null &
  pid=$!
  echo "${pid}" >"${PID_FILE}"
  echo "kafka-local: starting broker (pid ${pid}), log ${LOG_FILE}" >&2

  deadline=$((SECONDS + READY_TIMEOUT_S))
  while ((SECONDS < deadline)); do
    line="$(bootstrap_line)"
    if [[ -n "${line}" ]]; then
      echo "${line}"
      return 0
    fi
    if ! kill -0 "${pid}" 2>/dev/null; then
      rm -f "${PID_FILE}"
      echo "kafka-local: broker exited before it was ready; last log lines:" >&2
      tail -n 20 "${LOG_FILE}" >&2 || true
      exit 1
    fi
    sleep 0.2
  done

  echo "kafka-local: broker not ready after ${READY_TIMEOUT_S} s; stopping it. Last log lines:" >&2
  tail -n 20 "${LOG_FILE}" >&2 || true
  terminate "${pid}"
  exit 1
}

do_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "${PID_FILE}"
    echo "stopped"
    return 0
  fi
  terminate "${pid}"
  echo "stopped"
}

do_status() {
  local pid line
  if pid="$(running_pid)"; then
    line="$(bootstrap_line)"
    echo "running (pid ${pid})${line:+ ${line}}"
    return 0
  fi
  echo "stopped"
  exit 3
}

case "${command}" in
  start) do_start ;;
  stop) do_stop ;;
  status) do_status ;;
esac
