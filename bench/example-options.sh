#!/usr/bin/env bash
# Runs the MNIST example's jar (examples/mnist, built by nnc-maven-plugin) two ways, alternating, each
# run under `/usr/bin/time -v`: with only `--add-modules jdk.incubator.vector` (HotSpot's defaults),
# and with `@examples/mnist/jvm.options` (the JVM options for training that README.md's "Training in
# your own application" gives). Prints each run's whole-process wall time, peak RSS, the time a step
# of each epoch took (the progress bar's figure) and the test accuracy, then the median ratio of the
# pairs' wall times. Not part of the test suite; see bench/README.md.
#
#   NNC_DATA=DIR bench/example-options.sh [-r PAIRS]
#
#   -r, --rounds N   pairs of runs (default 5), the plain run first in each
#
# Builds examples/mnist/target/mnist.jar first if it is missing. JAVA_HOME chooses the JDK.
set -euo pipefail
export LC_NUMERIC=C

rounds=5
while [ $# -gt 0 ]; do
  case $1 in
    -r|--rounds) rounds=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "example-options.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
: "${NNC_DATA:?set NNC_DATA to the folder holding mnist/}"
root=$(cd "$(dirname "$0")/.." && pwd)
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
jar=$root/examples/mnist/target/mnist.jar
if [ ! -f "$jar" ]; then
  echo "== building $jar"
  (cd "$root" && ./mvnw -q -B -ntp -pl examples/mnist -am package -DskipTests)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "CPU: $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1) ($(grep -o -m1 avx512f /proc/cpuinfo || echo AVX2), $(nproc) cores); $("$java" -version 2>&1 | head -1)"
# run NAME JVM-OPTION...: one run of the example, its line printed; its wall seconds in $work/NAME.wall
run() {
  local name=$1; shift
  /usr/bin/time -v -o "$work/time" "$java" "$@" -jar "$jar" --data "$NNC_DATA" --save "$work/w.npz" \
    2>&1 | tr '\r' '\n' >"$work/out"
  local wall rss steps accuracy
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time" | awk -F: '{ print ($1 * 60 + $2) }')
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time")
  steps=$(grep -E '^[0-9]+/[0-9]+ .* - val_' "$work/out" | sed -E 's/.* ([0-9.]+[mu]?s\/step).*/\1/' | tr '\n' ' ')
  accuracy=$(sed -n 's/^test_accuracy: \([0-9.]*\).*/\1/p' "$work/out")
  printf '%-9s %6.2f s  %4d MiB  epochs at %s test accuracy %s\n' "$name" "$wall" $((rss / 1024)) "$steps" "$accuracy"
  echo "$wall" >"$work/$name.wall"
}
ratios=()
for round in $(seq "$rounds"); do
  run plain --add-modules jdk.incubator.vector
  run options "@$root/examples/mnist/jvm.options"
  ratios+=("$(awk -v a="$(cat "$work/options.wall")" -v b="$(cat "$work/plain.wall")" 'BEGIN { printf "%.3f", a / b }')")
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ r[NR] = $1 } END { printf "with jvm.options, the whole run takes %s [%s..%s] of the plain run'"'"'s time (median [min..max] of %d pairs)\n", r[int((NR + 1) / 2)], r[1], r[NR], NR }'
