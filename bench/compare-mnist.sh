#!/usr/bin/env bash
# Trains the MNIST example with nnc and with PyTorch, one after the other on the same cores, and
# prints both training times and their ratio. Not part of the test suite.
#
#   bench/compare-mnist.sh [EPOCHS]        (NNC_DATA must name a folder holding mnist/)
#
# PyTorch comes from Debian (apt-get install python3-torch libopenblas0-openmp); see the notes on
# running it fairly: OpenBLAS instead of the reference BLAS, its AVX-512 kernel, one thread each.
set -euo pipefail
cd "$(dirname "$0")/.."
epochs=${1:-5}
data="${NNC_DATA:?set NNC_DATA to the folder holding mnist/}/mnist"

[ -f cli/target/nnc.jar ] || ./mvnw -q install -DskipTests

echo "== nnc"
start=$(date +%s.%N)
bin/nnc train examples/mnist/src/main/nn/mnist.nn --data "$data" --epochs "$epochs"
nnc_seconds=$(echo "$(date +%s.%N) - $start" | bc)

echo "== PyTorch"
start=$(date +%s.%N)
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OMP_NUM_THREADS=1 \
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp \
  /usr/bin/python3 bench/torch_mnist.py "$data" "$epochs" 1
torch_seconds=$(echo "$(date +%s.%N) - $start" | bc)

printf 'whole process, %s epochs: nnc %.1f s, PyTorch %.1f s, ratio nnc/PyTorch %.2f\n' \
  "$epochs" "$nnc_seconds" "$torch_seconds" "$(echo "$nnc_seconds / $torch_seconds" | bc -l)"
