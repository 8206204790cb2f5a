"""The MNIST MLP of examples/mnist in PyTorch, as the peer a Java user would otherwise pick.

784 -> Linear(784, 512) -> ReLU -> Linear(512, 10), cross-entropy on logits, RMSprop(lr=1e-3,
alpha=0.9, eps=1e-7), Glorot-uniform weights, zero biases, batch 128, reshuffled each epoch, data
in memory as tensors, a plain index-batching loop (no DataLoader). Like `nnc train --data`, it
evaluates the test set once after training (as the book's example does: fit, then evaluate), or
after every epoch with --test-each-epoch (as `nnc train --test-each-epoch`, Keras'
validation_data), so that both programs do the same work.

Usage: python3 torch_mnist.py MNIST_DIR [EPOCHS] [THREADS] [--batch N] [--test-each-epoch]

Besides one human-readable line per epoch, it prints machine-readable `key=value` lines:
  train_seconds   the training steps of all epochs (shuffling included, test evaluations not)
  fit_seconds     all epochs and the test evaluations: what nnc does from its first epoch to its test line
  test_accuracy   test_loss   after the last epoch
  torch_version   threads   blas_core (the OpenBLAS kernel in use, when OpenBLAS is the BLAS)
"""
import argparse
import ctypes
import gzip
import time

import numpy as np
import torch


def idx(path, offset):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def blas_core():
    """OpenBLAS's name for the kernel it picked (Haswell, SkylakeX, Zen, ...), or 'unknown'."""
    for name in ("libblas.so.3", "libopenblas.so.0"):
        try:
            lib = ctypes.CDLL(name)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            return lib.openblas_get_corename().decode()
        except (OSError, AttributeError):
            continue
    return "unknown"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("data", help="folder holding the four MNIST *-ubyte.gz files")
    parser.add_argument("epochs", nargs="?", type=int, default=5)
    parser.add_argument("threads", nargs="?", type=int, default=1)
    parser.add_argument("--batch", type=int, default=128)
    parser.add_argument("--test-each-epoch", action="store_true", help="evaluate the test set after every epoch too")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    data = args.data
    x = torch.tensor(idx(f"{data}/train-images-idx3-ubyte.gz", 16).reshape(-1, 784), dtype=torch.float32) / 255
    y = torch.tensor(idx(f"{data}/train-labels-idx1-ubyte.gz", 8), dtype=torch.int64)
    tx = torch.tensor(idx(f"{data}/t10k-images-idx3-ubyte.gz", 16).reshape(-1, 784), dtype=torch.float32) / 255
    ty = torch.tensor(idx(f"{data}/t10k-labels-idx1-ubyte.gz", 8), dtype=torch.int64)

    model = torch.nn.Sequential(torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Linear(512, 10))
    for layer in (model[0], model[2]):
        torch.nn.init.xavier_uniform_(layer.weight)
        torch.nn.init.zeros_(layer.bias)
    optimizer = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)
    loss_fn = torch.nn.CrossEntropyLoss()

    def evaluate():
        with torch.no_grad():
            logits = model(tx)
            return (logits.argmax(1) == ty).float().mean().item(), loss_fn(logits, ty).item()

    train_seconds = 0.0
    accuracy = loss = float("nan")
    start = time.perf_counter()
    for epoch in range(args.epochs):
        t0 = time.perf_counter()
        order = torch.randperm(len(x))
        for first in range(0, len(x), args.batch):
            batch = order[first:first + args.batch]
            optimizer.zero_grad()
            batch_loss = loss_fn(model(x[batch]), y[batch])
            batch_loss.backward()
            optimizer.step()
        t1 = time.perf_counter()
        train_seconds += t1 - t0
        if args.test_each_epoch:
            accuracy, loss = evaluate()
            print(f"epoch {epoch + 1}/{args.epochs}: {t1 - t0:.2f} s training, {time.perf_counter() - t1:.2f} s test"
                  f" - val_accuracy: {accuracy:.4f} - val_loss: {loss:.4f}", flush=True)
        else:
            print(f"epoch {epoch + 1}/{args.epochs}: {t1 - t0:.2f} s training", flush=True)
    if not args.test_each_epoch or args.epochs == 0:
        accuracy, loss = evaluate()
    fit_seconds = time.perf_counter() - start

    print(f"torch_version={torch.__version__}")
    print(f"threads={torch.get_num_threads()}")
    print(f"blas_core={blas_core()}")
    print(f"train_seconds={train_seconds:.3f}")
    print(f"fit_seconds={fit_seconds:.3f}")
    print(f"test_loss={loss:.4f}")
    print(f"test_accuracy={accuracy:.4f}", flush=True)


if __name__ == "__main__":
    main()
