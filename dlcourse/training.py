"""One training loop for every notebook: minibatch gradient descent on any model, any update rule.

The loop knows nothing about layers or optimizers. It talks to a model through four names,

    model.params             dict {name: array}: every trainable array, e.g. "0.W", "conv1_b"
    model.grads              dict with the same keys, filled by model.backward
    model.forward(X, train)  scores (N, C) for a batch X (N, ...); train=True while training,
                             False when evaluating (dropout and batchnorm behave differently)
    model.backward(dscores)  backpropagates dL/dscores (N, C) and fills model.grads

and, optionally, ``model.penalty()``: a regularisation term (such as an L2 penalty) added to the
training loss. Its gradient is the model's business: ``backward`` adds it to ``grads``.

The loss is a function ``loss(scores, y) -> (loss, dscores)``, averaged over the batch, and the
update rule follows CS231n: ``update(w, dw, config) -> (next_w, config)``, with one ``config``
dict per parameter (a copy of ``optim_config``) where a rule keeps its state (velocity, moments).
The loop writes ``next_w`` into the existing array (``params[name][...] = next_w``), so a model
may share its arrays with its layers and their dtype (float32) stays as it is.

    history = train(model, X_train, y_train, X_val=X_val, y_val=y_val,
                    loss=softmax_loss, accuracy=accuracy, update=sgd,
                    optim_config={"learning_rate": 0.1}, lr_decay=0.9,
                    epochs=5, batch_size=128, rng=np.random.default_rng(0))
    plot_curves({"train": history["train_loss"], "validation": history["val_loss"]})

How long to train (epochs, a subset under ``dlcourse.runtime.quick()``) is the caller's choice.
"""
from __future__ import annotations

import time
from typing import Any, Callable

import numpy as np
from tqdm.auto import tqdm

from .data import minibatches

LossFunction = Callable[[np.ndarray, np.ndarray], "tuple[float, np.ndarray]"]
AccuracyFunction = Callable[[np.ndarray, np.ndarray], float]
UpdateRule = Callable[[np.ndarray, np.ndarray, dict], "tuple[np.ndarray, dict]"]


def evaluate(model: Any, X: np.ndarray, y: np.ndarray, *, loss: LossFunction,
             accuracy: AccuracyFunction, batch_size: int = 1000) -> tuple[float, float]:
    """Mean loss and accuracy of ``model`` (in test mode) on X (N, ...) with labels y.

    Runs in chunks of ``batch_size`` examples, so that a large set fits in memory.
    """
    total_loss = total_correct = 0.0
    for start in range(0, len(X), batch_size):
        X_chunk, y_chunk = X[start:start + batch_size], y[start:start + batch_size]
        scores = model.forward(X_chunk, train=False)
        total_loss += float(loss(scores, y_chunk)[0]) * len(X_chunk)
        total_correct += float(accuracy(scores, y_chunk)) * len(X_chunk)
    return total_loss / len(X), total_correct / len(X)


def _penalty(model: Any) -> float:
    return float(model.penalty()) if hasattr(model, "penalty") else 0.0


def train(model: Any, X_train: np.ndarray, y_train: np.ndarray, *,
          loss: LossFunction, accuracy: AccuracyFunction, update: UpdateRule,
          optim_config: dict, epochs: int, batch_size: int, rng: np.random.Generator,
          X_val: np.ndarray | None = None, y_val: np.ndarray | None = None,
          lr_decay: float = 1.0, progress: bool = True) -> dict[str, list[float]]:
    """Train ``model`` by minibatch gradient descent; return its history, one entry per epoch.

    Inputs:
    - model: see the module docstring (params, grads, forward, backward)
    - X_train: (N, ...) inputs; y_train: (N,) labels or (N, C) one-hot targets, as ``loss``
      and ``accuracy`` expect them
    - loss: loss(scores, y) -> (loss, dscores), averaged over the batch
    - accuracy: accuracy(scores, y) -> fraction of correct predictions
    - update: update(w, dw, config) -> (next_w, config), applied to every parameter
    - optim_config: the initial config of every parameter, e.g. {"learning_rate": 0.1}
    - epochs: passes over the training set; batch_size: examples per step
    - rng: shuffles the training set at every epoch
    - X_val, y_val: a validation set, evaluated in test mode after every epoch
    - lr_decay: config["learning_rate"] is multiplied by it after every epoch
    - progress: show a tqdm bar over all steps
    Returns a dict of lists:
    - "train_loss", "train_acc": means over the epoch's batches, in training mode (the loss
      includes the model's penalty)
    - "val_loss", "val_acc": on the validation set after each epoch (absent without one)
    - "batch_loss": the loss of every step, for noisy per-step curves
    - "seconds": time since training started, at the end of each epoch
    """
    configs = {name: dict(optim_config) for name in model.params}
    history: dict[str, list[float]] = {"train_loss": [], "train_acc": [], "batch_loss": [],
                                       "seconds": []}
    if X_val is not None:
        history |= {"val_loss": [], "val_acc": []}
    steps_per_epoch = -(-len(X_train) // batch_size)
    start = time.perf_counter()
    with tqdm(total=epochs * steps_per_epoch, disable=not progress, unit="batch") as bar:
        for epoch in range(epochs):
            epoch_loss = epoch_correct = 0.0
            for X_batch, y_batch in minibatches(X_train, y_train, batch_size, rng=rng):
                scores = model.forward(X_batch, train=True)
                batch_loss, dscores = loss(scores, y_batch)
                batch_loss = float(batch_loss) + _penalty(model)
                model.backward(dscores)
                for name, w in model.params.items():
                    next_w, configs[name] = update(w, model.grads[name], configs[name])
                    if np.shape(next_w) != w.shape:
                        raise ValueError(f"the update of {name!r} returned shape "
                                         f"{np.shape(next_w)}, expected {w.shape}")
                    w[...] = next_w
                history["batch_loss"].append(batch_loss)
                epoch_loss += batch_loss * len(X_batch)
                epoch_correct += float(accuracy(scores, y_batch)) * len(X_batch)
                bar.update()
            history["train_loss"].append(epoch_loss / len(X_train))
            history["train_acc"].append(epoch_correct / len(X_train))
            summary = {"loss": f"{history['train_loss'][-1]:.3f}"}
            if X_val is not None:
                val_loss, val_acc = evaluate(model, X_val, y_val, loss=loss, accuracy=accuracy)
                history["val_loss"].append(val_loss)
                history["val_acc"].append(val_acc)
                summary["val_acc"] = f"{val_acc:.2%}"
            history["seconds"].append(time.perf_counter() - start)
            bar.set_postfix(epoch=epoch + 1, **summary)
            for config in configs.values():
                if "learning_rate" in config:
                    config["learning_rate"] *= lr_decay
    return history
