"""The MNIST MLP's prediction in PyTorch eager mode, as the peer of nnc's MnistPredictor.

Loads the weights nnc trained (an .npz in Keras layout: dense_1/kernel [784, 512], ...) into
Linear(784, 512) -> ReLU -> Linear(512, 10), then under torch.inference_mode():
  single image  model(x).softmax(1) on one 1x784 test image at a time, one thread, each of
                10,000 calls timed alone after 30,000 calls of warm-up (as PredictorBench does)
  batch         the 10,000 test images as one 10000x784 tensor, best of 7, on 1 and on 2 threads

Usage: python3 torch_predict.py MNIST_DIR WEIGHTS.npz

Prints key=value lines: latency_median_us latency_p99_us latency_min_us latency_cpu_share
batch_1thread_images_per_s batch_2threads_images_per_s (with their _ms and _cpu_share: CPU time over
wall time per thread, below 1 when a thread waited for a busy core) accuracy torch_version blas_core.
"""
import argparse
import time

import numpy as np
import torch

from torch_mnist import blas_core, idx


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", help="folder holding MNIST's t10k-*-ubyte.gz files")
    parser.add_argument("weights", help="the .npz that nnc train --save wrote")
    args = parser.parse_args()

    tx = torch.tensor(idx(f"{args.data}/t10k-images-idx3-ubyte.gz", 16).reshape(-1, 784), dtype=torch.float32) / 255
    ty = torch.tensor(idx(f"{args.data}/t10k-labels-idx1-ubyte.gz", 8), dtype=torch.int64)
    w = np.load(args.weights)
    model = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 10)).eval()
    with torch.no_grad():
        for layer, name in ((model[0], "dense_1"), (model[2], "dense_2")):
            layer.weight.copy_(torch.from_numpy(w[f"{name}/kernel"].T.copy()))  # Keras [in, out] -> torch [out, in]
            layer.bias.copy_(torch.from_numpy(w[f"{name}/bias"]))

    with torch.inference_mode():
        torch.set_num_threads(1)
        images = [tx[i:i + 1].clone() for i in range(len(tx))]
        sink = 0.0
        for i in range(30_000):
            sink += model(images[i % len(images)]).softmax(1)[0, 0].item()
        times = []
        cpu, wall = time.thread_time(), time.perf_counter()
        for x in images:
            t0 = time.perf_counter_ns()
            p = model(x).softmax(1)
            times.append(time.perf_counter_ns() - t0)
            sink += p[0, 0].item()
        print(f"latency_cpu_share={(time.thread_time() - cpu) / (time.perf_counter() - wall):.3f}")
        times.sort()
        print(f"latency_median_us={times[len(times) // 2] / 1e3:.3f}")
        print(f"latency_p99_us={times[len(times) * 99 // 100] / 1e3:.3f}")
        print(f"latency_min_us={times[0] / 1e3:.3f}")

        for threads, key in ((1, "1thread"), (2, "2threads")):
            torch.set_num_threads(threads)
            best, share = float("inf"), 0.0
            for _ in range(7):
                t0, c0 = time.perf_counter(), time.process_time()
                p = model(tx).softmax(1)
                took = time.perf_counter() - t0
                if took < best:
                    best, share = took, (time.process_time() - c0) / took / threads
            print(f"batch_{key}_ms={best * 1e3:.3f}")
            print(f"batch_{key}_cpu_share={share:.3f}")
            print(f"batch_{key}_images_per_s={len(tx) / best:.1f}")
        print(f"accuracy={(p.argmax(1) == ty).float().mean().item():.4f}")
    print(f"torch_version={torch.__version__}")
    print(f"blas_core={blas_core()}", flush=True)


if __name__ == "__main__":
    main()
