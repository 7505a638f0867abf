#!/usr/bin/env bash
# Start-up cost of the agent on the sample app (docs/BENCHMARKS.md, "Agent start-up cost").
#
#   agent/bench/startup.sh [RUNS] [JAVA]
#
# Builds nothing: run `mvn -B -ntp -q -pl sample-app,agent -am package -DskipTests` first.
# For each run and each variant, the time from launching `java` to the sample app's
# "listening on" line, in milliseconds; variants alternate so that machine noise hits both alike.
# Prints every sample and the median of each variant. Every run starts on a fresh data directory.
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

# ms from launch to the "listening on" line; the JVM is stopped right after.
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
  kill "$JVM_PID" 2>/dev/null || true
  wait "$JVM_PID" 2>/dev/null || true
  echo $(( (end - start) / 1000000 ))
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

measure "$WORK/warm" > /dev/null # page cache and JIT-independent warm-up of the jars
without=() ; with=()
for ((i = 1; i <= RUNS; i++)); do
  without+=("$(measure "$WORK/d$i")")
  with+=("$(measure "$WORK/d$i" "-javaagent:$AGENT=config=$WORK/sse.json")")
done
"$JAVA" -version 2>&1 | head -1
echo "without agent (ms): ${without[*]}"
echo "with agent    (ms): ${with[*]}"
m0=$(printf '%s\n' "${without[@]}" | median)
m1=$(printf '%s\n' "${with[@]}" | median)
echo "median without: $m0 ms, with: $m1 ms, agent cost: $(awk "BEGIN {print $m1 - $m0}") ms"
