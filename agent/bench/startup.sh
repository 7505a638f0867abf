#!/usr/bin/env bash
# Start-up cost of the agent on the sample app (docs/BENCHMARKS.md, "Agent start-up cost").
#
#   agent/bench/startup.sh [RUNS] [JAVA]
#
# Builds nothing: run `mvn -B -ntp -q -pl sample-app,agent -am package -DskipTests` first.
# For each run and each variant: the wall time from launching `java` to the sample app's
# "listening on" line, and the CPU time (user + system, all threads) the JVM had used by then,
# in milliseconds. Variants alternate so that machine noise hits both alike. The CPU time hardly
# depends on what else the machine is doing; the wall time does. Prints every sample and the
# medians. Every run starts on a fresh data directory (so the agent creates its root key each time).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${1:-7}
JAVA=${2:-java}
APP=sample-app/target/servlet-sse-sample-app.jar
AGENT=agent/target/servlet-sse-agent.jar
[[ -f $APP && -f $AGENT ]] || { echo "build first: mvn -B -ntp -q -pl sample-app,agent -am package -DskipTests" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cat > "$WORK/sse.json" <<JSON
{ "dataDirectory": "$WORK/sse", "paths": { "prefix": "/" },
  "defaultEncryption": { "SSEAlgorithm": "None" },
  "buckets": { "aes256": { "SSEAlgorithm": "AES256" } } }
JSON

# "WALL CPU" in ms at the "listening on" line; the JVM is stopped right after.
measure() {
  local data=$1; shift
  rm -rf "$data" "$WORK/sse"
  local start end line
  start=$(date +%s%N)
  coproc JVM { exec "$JAVA" "$@" -jar "$APP" --no-filter --port 0 --data-dir "$data" 2>&1; }
  while IFS= read -r line <&"${JVM[0]}"; do
    [[ $line == *"listening on"* ]] && break
  done
  end=$(date +%s%N)
  local st
  read -r -a st < "/proc/$JVM_PID/stat"
  local cpu=$(( (st[13] + st[14]) * 1000 / TICKS ))
  kill "$JVM_PID" 2>/dev/null || true
  wait "$JVM_PID" 2>/dev/null || true
  echo "$(( (end - start) / 1000000 )) $cpu"
}
TICKS=$(getconf CLK_TCK)

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

measure "$WORK/warm" > /dev/null # page cache warm-up of the jars
without=() ; with=() ; cpu0=() ; cpu1=()
for ((i = 1; i <= RUNS; i++)); do
  read -r w c <<< "$(measure "$WORK/d$i")"; without+=("$w"); cpu0+=("$c")
  read -r w c <<< "$(measure "$WORK/d$i" "-javaagent:$AGENT=config=$WORK/sse.json")"; with+=("$w"); cpu1+=("$c")
done
"$JAVA" -version 2>&1 | head -1
echo "wall without agent (ms): ${without[*]}"
echo "wall with agent    (ms): ${with[*]}"
echo "cpu  without agent (ms): ${cpu0[*]}"
echo "cpu  with agent    (ms): ${cpu1[*]}"
med() { printf '%s\n' "$@" | median; }
m0=$(med "${without[@]}"); m1=$(med "${with[@]}"); c0=$(med "${cpu0[@]}"); c1=$(med "${cpu1[@]}")
echo "median wall: without $m0 ms, with $m1 ms, agent +$(awk "BEGIN {print $m1 - $m0}") ms"
echo "median cpu:  without $c0 ms, with $c1 ms, agent +$(awk "BEGIN {print $c1 - $c0}") ms"
