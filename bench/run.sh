#!/usr/bin/env bash
# CubeGuardian benchmarks: bench/run.sh [--quick] [--only=latency,throughput,sweep,detect,footprint,gateway,store,burst,fleet] [--key=value ...]
# Builds the packaged jar and the test classes, compiles the harness against them, runs every
# benchmark (each bounded in count and time, loopback only) and writes bench/results/<stamp>.md.
# Set BENCH_SKIP_BUILD=1 to reuse an existing target/ (e.g. while other builds run).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  mvn -B -q -DskipTests package
  mvn -B -q test-compile
fi
[[ -x /usr/sbin/mosquitto ]] || { echo "needs /usr/sbin/mosquitto (apt-get install -y mosquitto)" >&2; exit 1; }
/usr/bin/python3 -c 'import paho.mqtt' 2>/dev/null || { echo "needs Debian's python3-paho-mqtt (apt-get install -y python3-paho-mqtt)" >&2; exit 1; }
OUT="$ROOT/bench/target/classes"
rm -rf "$OUT" && mkdir -p "$OUT"
CP="$ROOT/target/classes:$ROOT/target/test-classes:$ROOT/target/lib/*"
javac -d "$OUT" -cp "$CP" $(find "$ROOT/bench/src" -name '*.java')
exec java -Xmx512m -Dbench.root="$ROOT" -cp "$OUT:$CP" dev.cubeguardian.bench.Bench "$@"
