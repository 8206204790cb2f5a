#!/usr/bin/env bash
# Trains a dense table with `bin/nnc train --timings`: 100 float32 features of normal values into
# `dense 512 relu; dense 10 softmax` (the data and the model written by dev.nnc.bench.DenseTable), 5
# epochs of batch 128, several runs, each under `/usr/bin/time -v`. Prints per run the JIT warm-up's
# time, the time to the first training step, each epoch's time, epoch 1 over the median of the later
# ones, the whole-process wall time, peak RSS and test accuracy, then the median of the epoch-1
# ratios. Where MNIST's images are mostly zeros, this table takes the dense kernels and the float
# path: the start-up figures of a model trained on measurements. Not part of the test suite; see
# bench/README.md.
#
#   bench/dense-table.sh [-r RUNS]
#
#   -r, --runs N   measured runs (default 5), after one unmeasured run that compiles the model's
#                  classes into nnc's cache
#
# Builds bench/target/benchmarks.jar (and cli/target/nnc.jar) first if it is missing. JAVA_HOME
# chooses the JDK; JAVA_OPTS is passed on to bin/nnc.
set -euo pipefail
export LC_NUMERIC=C

runs=5
while [ $# -gt 0 ]; do
  case $1 in
    -r|--runs) runs=${2:?}; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "dense-table.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
root=$(cd "$(dirname "$0")/.." && pwd)
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
jar=$root/bench/target/benchmarks.jar
if [ ! -f "$jar" ] || [ ! -f "$root/cli/target/nnc.jar" ]; then
  echo "== building $jar"
  (cd "$root" && ./mvnw -q -B -ntp -Pbench -pl bench -am package -DskipTests)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$java" -cp "$jar" dev.nnc.bench.DenseTable "$work/data"
d=$work/data
args=(train "$d/table.nn" --x "$d/x_train.npy" --y "$d/y_train.npy" --test-x "$d/x_test.npy" --test-y "$d/y_test.npy"
  --timings)

echo "CPU: $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1) ($(grep -o -m1 avx512f /proc/cpuinfo || echo AVX2), $(nproc) cores); $("$java" -version 2>&1 | head -1)"
"$root/bin/nnc" "${args[@]}" --epochs 1 >"$work/prime.out" 2>&1 || { cat "$work/prime.out" >&2; exit 1; }
ratios=()
for run in $(seq "$runs"); do
  /usr/bin/time -v -o "$work/time" "$root/bin/nnc" "${args[@]}" >"$work/out" 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time" | awk -F: '{ print ($1 * 60 + $2) }')
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time")
  warm=$(sed -n 's/^ *\([0-9.]*\)  JIT warm-up.*/\1/p' "$work/err")
  first=$(sed -n 's/^ *\([0-9.]*\)  JVM start to the first training step/\1/p' "$work/err")
  epochs=$(sed -n 's/^ *\([0-9.]*\)  epoch [0-9]* (steps.*/\1/p' "$work/err" | tr '\n' ' ')
  accuracy=$(sed -n 's/^test_accuracy: \([0-9.]*\).*/\1/p' "$work/out")
  ratio=$(echo "$epochs" | awk '{ n = split($0, e, " "); m = 0; for (i = 2; i <= n; i++) l[++m] = e[i];
    for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (l[j] < l[i]) { t = l[i]; l[i] = l[j]; l[j] = t }
    med = m % 2 ? l[(m + 1) / 2] : (l[m / 2] + l[m / 2 + 1]) / 2; printf "%.2f", e[1] / med }')
  ratios+=("$ratio")
  printf 'run %d: warm-up %s s, first step %s s, epochs %s s (epoch 1 %sx the later median), %.2f s whole, %d MiB, test accuracy %s\n' \
    "$run" "$warm" "$first" "$epochs" "$ratio" "$wall" $((rss / 1024)) "$accuracy"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ r[NR] = $1 } END { printf "epoch 1 takes %s [%s..%s] times the later epochs'"'"' median (median [min..max] of %d runs)\n", r[int((NR + 1) / 2)], r[1], r[NR], NR }'
