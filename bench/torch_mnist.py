"""The MNIST MLP of examples/mnist in PyTorch, as the peer a Java user would otherwise pick.

784 -> Linear(784, 512) -> ReLU -> Linear(512, 10), cross-entropy on logits, RMSprop(lr=1e-3,
alpha=0.9, eps=1e-7), Glorot-uniform weights, zero biases, batch 128, 5 epochs reshuffled each,
data in memory as tensors, a plain index-batching loop. Prints the training-loop time, the time per
epoch and the test accuracy. Usage: python3 torch_mnist.py MNIST_DIR [EPOCHS] [THREADS]
"""
import gzip
import sys
import time

import numpy as np
import torch


def idx(path, offset):
    with gzip.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def main():
    data = sys.argv[1]
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    torch.set_num_threads(threads)
    torch.manual_seed(42)
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

    start = time.perf_counter()
    for epoch in range(epochs):
        t0 = time.perf_counter()
        order = torch.randperm(len(x))
        for first in range(0, len(x), 128):
            batch = order[first:first + 128]
            optimizer.zero_grad()
            loss = loss_fn(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
        print(f"epoch {epoch + 1}: {time.perf_counter() - t0:.2f} s", flush=True)
    train_seconds = time.perf_counter() - start
    with torch.no_grad():
        accuracy = (model(tx).argmax(1) == ty).float().mean().item()
    print(f"torch {torch.__version__}, {threads} thread(s): training loop {train_seconds:.2f} s "
          f"for {epochs} epochs, test accuracy {accuracy:.4f}")


if __name__ == "__main__":
    main()
