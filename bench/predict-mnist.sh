#!/usr/bin/env bash
# Times the MNIST example's standalone predictor (`nnc compile --inference`) against PyTorch eager
# mode on the same trained weights, in one run on the same cores, and prints one table: single-image
# latency (median and 99th percentile of 10,000 calls after warm-up, one thread), batch throughput
# over the 10,000 test images on 1 and 2 threads, the time from the class's loading to its first
# prediction, and the size of the class files and their weights resource. Not part of the test
# suite; see bench/README.md.
#
#   NNC_DATA=DIR bench/predict-mnist.sh [-r N] [--weights W.npz] [--keep DIR]
#
#   -r, --rounds N    run the four commands round-robin N times (default 3) and print medians: each
#                     figure is the median over the rounds, each ratio against PyTorch the median
#                     [min..max] of the rounds' own ratios, so that a machine whose speed drifts
#                     between runs compares commands run close together
#   --weights W.npz   the trained weights (default: train the example for its 5 epochs first,
#                     with bin/nnc train --save)
#   --keep DIR        keep the generated predictor, its classes and every run's output in DIR
#                     (default: a temporary folder, deleted at the end)
#
# Each round runs the predictor three times: with --add-modules jdk.incubator.vector (its Vector API kernels),
# the same with -XX:ObjectAlignmentInBytes=64 (so that its kernels' rows lie on cache lines), and
# without the module (its plain Java ones). Environment: NNC_DATA names the folder holding mnist/ (required);
# JAVA_HOME chooses the JDK; PYTHON the Python with PyTorch (default /usr/bin/python3, Debian's:
# apt-get install python3-torch libopenblas0-openmp); TORCH_BLAS_DIR a folder whose libblas.so.3 is
# OpenBLAS (default Debian's OpenMP build). For PyTorch only, OPENBLAS_CORETYPE and
# OPENBLAS_L2_SIZE are unset so that OpenBLAS picks its best kernel for this CPU.
#
# "CPU" is a timed thread's CPU time over the wall time: below 100% it waited for a core that
# something else was using, and its times are not its own; "per CPU-second" divides the 1-thread
# throughput by it (what the thread did while it ran, which other work on the core still slows).
set -euo pipefail
export LC_NUMERIC=C

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

weights=""
keep=""
rounds=3
while [ $# -gt 0 ]; do
  case $1 in
    -r|--rounds) rounds=${2:?}; shift 2 ;;
    --weights) weights=${2:?}; shift 2 ;;
    --keep) keep=${2:?}; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "predict-mnist.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case $rounds in ''|*[!0-9]*|0) echo "predict-mnist.sh: --rounds takes a positive whole number, not '$rounds'" >&2; exit 2 ;; esac

root=$(cd "$(dirname "$0")/.." && pwd)
data="${NNC_DATA:?set NNC_DATA to the folder holding mnist/}/mnist"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
javac="${JAVA_HOME:+$JAVA_HOME/bin/}javac"
python=${PYTHON:-/usr/bin/python3}
blas_dir=${TORCH_BLAS_DIR:-/usr/lib/x86_64-linux-gnu/openblas-openmp}
model="$root/examples/mnist/src/main/nn/mnist.nn"

[ -d "$data" ] || { echo "predict-mnist.sh: $data is not a folder (NNC_DATA must hold mnist/)" >&2; exit 1; }
"$python" -c 'import torch' 2>/dev/null || {
  echo "predict-mnist.sh: $python cannot import torch (apt-get install python3-torch libopenblas0-openmp)" >&2; exit 1; }
if [ ! -f "$root/cli/target/nnc.jar" ]; then
  echo "== building cli/target/nnc.jar"
  (cd "$root" && ./mvnw -q -B -ntp -pl cli -am package -DskipTests)
fi

if [ -n "$keep" ]; then work=$keep; mkdir -p "$work"; else work=$(mktemp -d); trap 'rm -rf "$work"' EXIT; fi
if [ -z "$weights" ]; then
  echo "== training the example (5 epochs) for its weights"
  "$root/bin/nnc" train "$model" --data "$data" --save "$work/mnist.npz" >"$work/train.out" 2>&1
  weights="$work/mnist.npz"
fi

echo "== nnc compile --inference"
rm -rf "$work/gen" "$work/classes"
"$root/bin/nnc" compile --inference --weights "$weights" -d "$work/gen" -p nncbench "$model"
"$javac" -nowarn -XDsuppressNotes --add-modules jdk.incubator.vector -d "$work/classes" \
  "$work/gen/nncbench/MnistPredictor.java" "$root/bench/predictor/PredictorBench.java" "$root/bench/predictor/PeakFma.java" \
  2>&1 | grep -v 'incubat' || true
cp "$work/gen/nncbench/MnistPredictor.weights" "$work/classes/nncbench/"
class_bytes=$(cat "$work"/classes/nncbench/MnistPredictor*.class | wc -c)
resource_bytes=$(wc -c <"$work/classes/nncbench/MnistPredictor.weights")

echo "== $rounds round(s), each: the predictor with the Vector API module, also with objects on 64-byte boundaries, without the module; PyTorch"
load=$(cut -d' ' -f1-3 /proc/loadavg)
# at RUN KEY ROUND: KEY's value in RUN's run of that round
at() { sed -n "s/^$2=//p" "$work/$1.$3.out"; }
for round in $(seq "$rounds"); do
  "$java" --add-modules jdk.incubator.vector -cp "$work/classes" nncbench.PredictorBench "$data" >"$work/vector.$round.out" 2>/dev/null
  "$java" -XX:ObjectAlignmentInBytes=64 --add-modules jdk.incubator.vector -cp "$work/classes" nncbench.PredictorBench "$data" \
    >"$work/aligned.$round.out" 2>/dev/null
  "$java" -cp "$work/classes" nncbench.PredictorBench "$data" >"$work/plain.$round.out"
  (cd "$root/bench" && env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=2 \
    LD_LIBRARY_PATH="$blas_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
    "$python" torch_predict.py "$data" "$weights") >"$work/torch.$round.out"
  echo "   round $round: predictor $(at vector latency_median_us "$round") us," \
    "PyTorch $(at torch latency_median_us "$round") us a single image;" \
    "the thread's peak $(at vector peak_gflops "$round") GFLOP/s"
done

# spread: of the numbers on standard input, one a line, "median min max" (nothing for none)
spread() {
  sort -g | awk '{ v[NR] = $0 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2), v[1], v[NR] }'
}
# get RUN KEY: KEY's value in the runs of RUN, the median over the rounds for a number (the first round's text otherwise)
get() {
  local values; values=$(for r in $(seq "$rounds"); do at "$1" "$2" "$r"; done)
  if grep -qvE '^-?[0-9.]+([eE][-+]?[0-9]+)?$' <<<"$values"; then head -1 <<<"$values"; else spread <<<"$values" | cut -d' ' -f1; fi
}
pct() { awk -v v="$1" 'BEGIN { printf "%.0f%%", 100 * v }'; }

cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
if grep -q avx512f /proc/cpuinfo; then isa="AVX-512"; elif grep -q avx2 /proc/cpuinfo; then isa="AVX2"; else isa="no AVX2"; fi
echo
echo "CPU: $cpu ($isa, $(nproc) cores); $("$java" -version 2>&1 | head -1); PyTorch $(get torch torch_version) (OpenBLAS $(get torch blas_core))"
echo "load average before the runs: $load; the figures are medians over $rounds round(s)"
echo
printf '%-27s %9s %9s %5s %15s %5s %15s %16s\n' "" "median µs" "p99 µs" "CPU" "1 thread img/s" "CPU" "per CPU-second" "2 threads img/s"
row() {
  local share; share=$(get "$2" batch_1thread_cpu_share)
  printf '%-27s %9.2f %9.2f %5s %15.0f %5s %15.0f %16.0f\n' "$1" "$(get "$2" latency_median_us)" "$(get "$2" latency_p99_us)" \
    "$(pct "$(get "$2" latency_cpu_share)")" "$(get "$2" batch_1thread_images_per_s)" "$(pct "$share")" \
    "$(awk -v r="$(get "$2" batch_1thread_images_per_s)" -v c="$share" 'BEGIN { print (c > 0 ? r / c : 0) }')" \
    "$(get "$2" batch_2threads_images_per_s)"
}
row "nnc predictor, Vector API" vector
row "  objects 64-byte aligned" aligned
row "nnc predictor, plain Java" plain
row "PyTorch eager" torch
echo
# ratios NAME TEXT: the predictor run NAME against PyTorch, round by round: single-image median, and batch against
# PyTorch's best; the median [min..max] of the rounds' ratios
ratios() {
  local r per_round; per_round=$(for r in $(seq "$rounds"); do
    awk -v n="$(at "$1" latency_median_us "$r")" -v t="$(at torch latency_median_us "$r")" \
      -v b1="$(at "$1" batch_1thread_images_per_s "$r")" -v b2="$(at "$1" batch_2threads_images_per_s "$r")" \
      -v t1="$(at torch batch_1thread_images_per_s "$r")" -v t2="$(at torch batch_2threads_images_per_s "$r")" \
      'BEGIN { best = t1 > t2 ? t1 : t2; print n / t, b1 / best, b2 / best }'
  done)
  echo "$2 $(ratio_spread 1 "$per_round") of PyTorch's median time; batch: $(ratio_spread 2 "$per_round")x (1 thread)" \
    "and $(ratio_spread 3 "$per_round")x (2 threads) PyTorch's best"
}
# ratio_spread C LINES: column C of the rounds' ratios in LINES as "median [min..max]" (the median alone for one round)
ratio_spread() {
  cut -d' ' -f"$1" <<<"$2" | spread | awk -v one="$((rounds == 1))" '{ printf one ? "%.3f" : "%.3f [%.3f..%.3f]", $1, $2, $3 }'
}
ratios vector "single image: the predictor takes"
ratios aligned "with -XX:ObjectAlignmentInBytes=64 (its kernels' rows then lie on cache lines):"
echo "fastest single call: predictor $(get vector latency_min_us) µs (plain Java $(get plain latency_min_us) µs), PyTorch $(get torch latency_min_us) µs"
awk -v w="$(get vector real_work_kflop)" -v us="$(get vector real_work_us)" -v peak="$(get vector peak_gflops)" \
    -v n="$(get vector latency_median_us)" 'BEGIN {
  printf "real work of an average test image: %.1f kFLOP, %.2f µs at this thread'"'"'s measured peak of %.1f GFLOP/s: the median single call takes %.1fx that\n", w, us, peak, n / us }'
echo "class load to first prediction: $(get vector first_prediction_ms) ms with the Vector API module ($(get vector constructor_ms) ms of it" \
  "in the constructor: weights read and SHA-256 checked), $(get plain first_prediction_ms) ms without ($(get plain constructor_ms) ms);" \
  "JVM start to first prediction $(get vector jvm_start_to_first_prediction_ms) ms / $(get plain jvm_start_to_first_prediction_ms) ms"
echo "size: class files $class_bytes bytes + weights resource $resource_bytes bytes"
echo "test accuracy: predictor $(get vector accuracy) (plain Java $(get plain accuracy)), PyTorch $(get torch accuracy)"
