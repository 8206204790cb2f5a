#!/usr/bin/env bash
# Trains the MNIST example with `bin/nnc train` and the same model with PyTorch on 1 and on 2
# threads, round-robin for a few rounds on the same cores, each run under `/usr/bin/time -v`, and
# prints per command the median [min..max] of whole-process wall time, training-loop time, peak
# RSS and test accuracy, then nnc's time over the faster PyTorch run of the same round. Not part of
# the test suite; see bench/README.md.
#
#   NNC_DATA=DIR bench/compare-mnist.sh [-r ROUNDS] [-e EPOCHS] [--test-each-epoch] [--nnc-args 'ARGS']
#                                      [--only LIST] [--keep DIR]
#
#   -r, --rounds N      rounds (default 3); each runs every command once, the order rotating by one
#                       command from round to round
#   -e, --epochs N      epochs of batch 128 (default 5)
#   --test-each-epoch   both programs evaluate the test set after every epoch, not only once after
#                       training
#   --nnc-args 'ARGS'   more arguments for `nnc train`, e.g. '--kernels scalar'
#   --only LIST         commands to run, comma-separated among nnc,torch1,torch2 (default all three)
#   --keep DIR          keep every run's output and time report in DIR (default: a temporary
#                       folder, deleted at the end)
#   --no-prime          measure nnc's first run too; by default one unmeasured run of one epoch
#                       comes first, so that every measured run is a re-run (the model's classes in
#                       nnc's cache, the launcher's class-data archive made), as after a build
#
# Environment: NNC_DATA names the folder holding mnist/ (required). JAVA_HOME chooses the JDK that
# runs nnc (bin/nnc honours it); JAVA_OPTS is passed on. PYTHON is the Python with PyTorch
# (default /usr/bin/python3, Debian's: apt-get install python3-torch libopenblas0-openmp).
# TORCH_BLAS_DIR is a folder whose libblas.so.3 is OpenBLAS (default Debian's OpenMP build): Debian's
# torch links the generic libblas.so.3, which is otherwise the slow reference BLAS. For the PyTorch
# runs only, OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset so that OpenBLAS picks the best
# kernel for this CPU, and OMP_NUM_THREADS matches torch.set_num_threads.
#
# "CPU" is the process's (user + system) time over its wall time: a single-threaded run well below
# 100% waited for a core that something else was using, and its times are not its own.
#
# "Training loop" is, for both programs, the time from the start of the first epoch to the test
# result: the epochs and the test-set evaluation once after them (as the book's example: fit, then
# evaluate), or after every epoch with --test-each-epoch. For nnc it is taken from the times at
# which its "Epoch 1/N" and "test_accuracy:" lines appear; PyTorch prints its own (fit_seconds).
set -euo pipefail
export LC_NUMERIC=C  # decimal points in the clock readings and in awk, whatever the locale

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }

rounds=3
epochs=5
nnc_args=""
each_epoch=""
only="nnc,torch1,torch2"
keep=""
prime=1
while [ $# -gt 0 ]; do
  case $1 in
    -r|--rounds) rounds=${2:?}; shift 2 ;;
    -e|--epochs) epochs=${2:?}; shift 2 ;;
    --nnc-args) nnc_args=${2?}; shift 2 ;;
    --test-each-epoch) each_epoch=--test-each-epoch; shift ;;
    --only) only=${2:?}; shift 2 ;;
    --keep) keep=${2:?}; shift 2 ;;
    --no-prime) prime=; shift ;;
    -h|--help) usage; exit 0 ;;
    [0-9]*) epochs=$1; shift ;;  # the older form: compare-mnist.sh EPOCHS
    *) echo "compare-mnist.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
case $rounds$epochs in *[!0-9]*) echo "compare-mnist.sh: --rounds and --epochs take whole numbers" >&2; exit 2 ;; esac
[ "$rounds" -ge 1 ] || { echo "compare-mnist.sh: --rounds must be at least 1" >&2; exit 2; }
IFS=, read -r -a commands <<<"$only"
for c in "${commands[@]}"; do
  case $c in nnc|torch1|torch2) ;; *) echo "compare-mnist.sh: --only takes nnc, torch1, torch2, not '$c'" >&2; exit 2 ;; esac
done

root=$(cd "$(dirname "$0")/.." && pwd)
data="${NNC_DATA:?set NNC_DATA to the folder holding mnist/}/mnist"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
python=${PYTHON:-/usr/bin/python3}
blas_dir=${TORCH_BLAS_DIR:-/usr/lib/x86_64-linux-gnu/openblas-openmp}
model="$root/examples/mnist/src/main/nn/mnist.nn"
batch=128

[ -x /usr/bin/time ] || { echo "compare-mnist.sh: needs GNU time as /usr/bin/time (apt-get install time)" >&2; exit 1; }
[ -d "$data" ] || { echo "compare-mnist.sh: $data is not a folder (NNC_DATA must hold mnist/)" >&2; exit 1; }
for c in "${commands[@]}"; do
  case $c in
    nnc)
      if [ ! -f "$root/cli/target/nnc.jar" ]; then
        echo "== building cli/target/nnc.jar"
        (cd "$root" && ./mvnw -q -B -ntp -pl cli -am package -DskipTests)
      fi ;;
    torch*)
      "$python" -c 'import torch' 2>/dev/null || {
        echo "compare-mnist.sh: $python cannot import torch (apt-get install python3-torch libopenblas0-openmp)" >&2; exit 1; }
      [ -f "$blas_dir/libblas.so.3" ] || echo "compare-mnist.sh: warning: no $blas_dir/libblas.so.3; PyTorch may run on the reference BLAS" >&2 ;;
  esac
done

if [ -n "$keep" ]; then
  mkdir -p "$keep"
  logs=$(cd "$keep" && pwd)
else
  logs=$(mktemp -d)
  trap 'rm -rf "$logs"' EXIT
fi

# Prefixes every line read with the time it was read (bash's own clock, no process per line).
stamp() { local line; while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done; }

run() {  # COMMAND ROUND: runs it, leaves $logs/COMMAND.ROUND.{out,err,time}
  local name=$1 r=$2 base="$logs/$1.$2" status
  local -a cmd
  case $name in
    nnc) # shellcheck disable=SC2206  # nnc_args holds several words on purpose
      cmd=("$root/bin/nnc" train "$model" --data "$data" --epochs "$epochs" --batch "$batch" $each_epoch $nnc_args) ;;
    torch*)
      local threads=${name#torch}
      cmd=(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS="$threads"
        LD_LIBRARY_PATH="$blas_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
        "$python" "$root/bench/torch_mnist.py" "$data" "$epochs" "$threads" --batch "$batch" $each_epoch) ;;
  esac
  printf '== round %d/%d: %s\n' "$r" "$rounds" "$name"
  set +e
  /usr/bin/time -v -o "$base.time" "${cmd[@]}" 2>"$base.err" | stamp >"$base.out"
  status=${PIPESTATUS[0]}
  set -e
  if [ "$status" -ne 0 ]; then
    echo "compare-mnist.sh: $name failed (exit $status):" >&2
    tail -n 20 "$base.err" "$base.out" >&2
    exit 1
  fi
}

# Seconds of wall time and peak RSS in MiB from a `time -v` report.
wall_seconds() { awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$1"; }
rss_mib() { awk -F': ' '/Maximum resident set size/ { printf "%.0f\n", $2 / 1024 }' "$1"; }
# (user + system CPU time) / wall time, in %: well below the threads' count x 100 means that the run
# waited for a core that something else was using.
cpu_percent() { awk -F': ' '/Percent of CPU this job got/ { sub(/%/, "", $2); print $2 }' "$1"; }

# Training-loop seconds and test accuracy from a run's stamped output.
fit_seconds() {
  case $1 in
    nnc) awk '$2 == "Epoch" && $3 ~ /^1\// && !s { s = $1 } $2 == "test_accuracy:" { e = $1 } END { if (s && e) printf "%.3f\n", e - s }' "$2" ;;
    *) sed -n 's/^[0-9.]* fit_seconds=//p' "$2" ;;
  esac
}
accuracy() {
  case $1 in
    nnc) awk '$2 == "test_accuracy:" { a = $3 } END { print a }' "$2" ;;
    *) sed -n 's/^[0-9.]* test_accuracy=//p' "$2" ;;
  esac
}

# "median [min..max]" of the arguments, each printed with format $1.
summary() {
  local format=$1; shift
  printf '%s\n' "$@" | sort -g | awk -v f="$format" '
    { v[NR] = $1 }
    END {
      if (NR == 0) { print "-"; exit }
      m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf f " [" f ".." f "]\n", m, v[1], v[NR]
    }'
}

label() {
  case $1 in
    nnc) echo "nnc train${nnc_args:+ $nnc_args}" ;;
    torch1) echo "PyTorch, 1 thread" ;;
    torch2) echo "PyTorch, 2 threads" ;;
  esac
}

isa=$(if grep -qw avx512f /proc/cpuinfo; then echo "avx512f"; elif grep -qw avx2 /proc/cpuinfo; then echo "avx2 (no avx512f)"; else echo "neither avx2 nor avx512f"; fi)
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
jdk=$("$java" -version 2>&1 | sed -n '1p;2p' | paste -sd ';' -)
echo "MNIST ${epochs} epochs of batch ${batch}, ${rounds} round(s): ${commands[*]}"
echo "cpu: $cpu, $(nproc) cores, vector ISA: $isa"
echo "nnc's JDK: $jdk"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ -n "$prime" ] && [[ " ${commands[*]} " == *" nnc "* ]]; then
  echo "== priming: one unmeasured nnc run of 1 epoch (--no-prime measures the first run too)"
  "$root/bin/nnc" train "$model" --data "$data" --epochs 1 --batch "$batch" $nnc_args >"$logs/prime.out" 2>&1 || {
    echo "compare-mnist.sh: the priming nnc run failed:" >&2; tail -n 20 "$logs/prime.out" >&2; exit 1; }
fi

declare -A wall fit rss acc cpu
n=${#commands[@]}
for ((r = 1; r <= rounds; r++)); do
  for ((i = 0; i < n; i++)); do
    c=${commands[$(((i + r - 1) % n))]}
    run "$c" "$r"
    base="$logs/$c.$r"
    wall[$c,$r]=$(wall_seconds "$base.time")
    rss[$c,$r]=$(rss_mib "$base.time")
    cpu[$c,$r]=$(cpu_percent "$base.time")
    fit[$c,$r]=$(fit_seconds "$c" "$base.out")
    acc[$c,$r]=$(accuracy "$c" "$base.out")
    if [ -z "${fit[$c,$r]}" ] || [ -z "${acc[$c,$r]}" ]; then
      echo "compare-mnist.sh: cannot read the training time or accuracy from $c's output:" >&2
      tail -n 5 "$base.out" >&2
      exit 1
    fi
    printf '   %s s whole process, %s s training loop, %s MiB peak RSS, test accuracy %s, %s%% CPU\n' \
      "${wall[$c,$r]}" "${fit[$c,$r]}" "${rss[$c,$r]}" "${acc[$c,$r]}" "${cpu[$c,$r]}"
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
for c in "${commands[@]}"; do
  case $c in
    torch*) core=$(sed -n 's/^[0-9.]* blas_core=//p' "$logs/$c.1.out"); version=$(sed -n 's/^[0-9.]* torch_version=//p' "$logs/$c.1.out")
      echo "PyTorch $version, OpenBLAS kernel: $core"; break ;;
  esac
done

column() {  # ARRAY COMMAND FORMAT: the summary of one command's values over the rounds
  local -n values=$1
  local -a list=()
  for ((r = 1; r <= rounds; r++)); do list+=("${values[$2,$r]}"); done
  summary "$3" "${list[@]}"
}

echo
echo "median [min..max] over ${rounds} round(s)"
printf '%-34s %-24s %-24s %-20s %-24s %s\n' "command" "whole process (s)" "training loop (s)" "peak RSS (MiB)" "test accuracy" "CPU (%)"
for c in "${commands[@]}"; do
  printf '%-34s %-24s %-24s %-20s %-24s %s\n' "$(label "$c")" "$(column wall "$c" %.2f)" "$(column fit "$c" %.2f)" \
    "$(column rss "$c" %.0f)" "$(column acc "$c" %.4f)" "$(column cpu "$c" %.0f)"
done

torches=()
for c in "${commands[@]}"; do case $c in torch*) torches+=("$c") ;; esac; done
if [[ " ${commands[*]} " == *" nnc "* ]] && [ ${#torches[@]} -gt 0 ]; then
  echo
  echo "nnc / PyTorch-best (the faster PyTorch run of the same round, chosen separately for each column)"
  printf '%-8s %-28s %-28s\n' "round" "whole process" "training loop"
  ratios_wall=()
  ratios_fit=()
  for ((r = 1; r <= rounds; r++)); do
    best_wall="" best_fit="" who_wall="" who_fit=""
    for t in "${torches[@]}"; do
      if [ -z "$best_wall" ] || awk -v a="${wall[$t,$r]}" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then best_wall=${wall[$t,$r]}; who_wall=$t; fi
      if [ -z "$best_fit" ] || awk -v a="${fit[$t,$r]}" -v b="$best_fit" 'BEGIN { exit !(a < b) }'; then best_fit=${fit[$t,$r]}; who_fit=$t; fi
    done
    rw=$(awk -v a="${wall[nnc,$r]}" -v b="$best_wall" 'BEGIN { printf "%.2f", a / b }')
    rf=$(awk -v a="${fit[nnc,$r]}" -v b="$best_fit" 'BEGIN { printf "%.2f", a / b }')
    ratios_wall+=("$rw")
    ratios_fit+=("$rf")
    printf '%-8s %-28s %-28s\n' "$r" "$rw (vs $who_wall)" "$rf (vs $who_fit)"
  done
  printf '%-8s %-28s %-28s\n' "median" "$(summary %.2f "${ratios_wall[@]}")" "$(summary %.2f "${ratios_fit[@]}")"
fi
if [ -n "$keep" ]; then echo; echo "outputs and time reports: $logs"; fi
