"""dlcourse.training: the shared loop, on a softmax classifier of two blobs (no notebook code)."""
import numpy as np
import pytest

from dlcourse.data import make_blobs
from dlcourse.training import evaluate, train


class SoftmaxClassifier:
    """scores = X @ W + b, following the protocol of dlcourse.training; records its modes."""

    def __init__(self, n_features, n_classes, dtype=np.float64, l2=0.0):
        self.params = {"W": np.zeros((n_features, n_classes), dtype),
                       "b": np.zeros(n_classes, dtype)}
        self.grads = {}
        self.l2 = l2
        self.modes = []

    def forward(self, X, train):
        self.modes.append(train)
        self.X = X
        return X @ self.params["W"] + self.params["b"]

    def backward(self, dscores):
        self.grads = {"W": self.X.T @ dscores + self.l2 * self.params["W"],
                      "b": dscores.sum(axis=0)}

    def penalty(self):
        return 0.5 * self.l2 * float(np.sum(self.params["W"] ** 2))


def softmax_loss(scores, y):
    shifted = scores - scores.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    n = len(y)
    loss = -np.mean(np.log(probs[np.arange(n), y]))
    dscores = probs.copy()
    dscores[np.arange(n), y] -= 1
    return loss, dscores / n


def accuracy(scores, y):
    return float(np.mean(scores.argmax(axis=1) == y))


def sgd(w, dw, config):
    return w - config["learning_rate"] * dw, config


@pytest.fixture
def blobs():
    X, y = make_blobs(100, np.random.default_rng(0), distance=3.0, std=1.0)
    return X[:150], y[:150], X[150:], y[150:]


def run(model, blobs, **options):
    X_train, y_train, X_val, y_val = blobs
    settings = dict(loss=softmax_loss, accuracy=accuracy, update=sgd,
                    optim_config={"learning_rate": 0.5}, epochs=8, batch_size=32,
                    rng=np.random.default_rng(1), X_val=X_val, y_val=y_val, progress=False)
    return train(model, X_train, y_train, **(settings | options))


def test_learns_and_records_one_entry_per_epoch(blobs):
    model = SoftmaxClassifier(2, 2)
    history = run(model, blobs)
    assert {k: len(v) for k, v in history.items()} == {
        "train_loss": 8, "train_acc": 8, "val_loss": 8, "val_acc": 8, "seconds": 8,
        "batch_loss": 8 * 5}  # 150 examples in batches of 32: 4 full batches and one of 22
    assert history["train_loss"][-1] < 0.5 * history["train_loss"][0]
    assert history["val_acc"][-1] > 0.9
    assert history["seconds"] == sorted(history["seconds"])
    X_train, y_train, X_val, y_val = blobs
    assert (history["val_loss"][-1], history["val_acc"][-1]) == pytest.approx(
        evaluate(model, X_val, y_val, loss=softmax_loss, accuracy=accuracy))


def test_without_validation_set_there_are_no_validation_curves(blobs):
    history = run(SoftmaxClassifier(2, 2), blobs, X_val=None, y_val=None)
    assert "val_loss" not in history and "val_acc" not in history


def test_same_rng_same_result(blobs):
    first, second = SoftmaxClassifier(2, 2), SoftmaxClassifier(2, 2)
    assert run(first, blobs)["batch_loss"] == run(second, blobs)["batch_loss"]
    np.testing.assert_array_equal(first.params["W"], second.params["W"])


def test_parameters_are_updated_in_place_and_keep_their_dtype(blobs):
    model = SoftmaxClassifier(2, 2, dtype=np.float32)
    W = model.params["W"]
    X_train, y_train, X_val, y_val = blobs
    run(model, (X_train.astype(np.float32), y_train, X_val.astype(np.float32), y_val))
    assert model.params["W"] is W and W.dtype == np.float32 and np.any(W != 0)


def test_forward_is_in_training_mode_only_while_training(blobs):
    model = SoftmaxClassifier(2, 2)
    run(model, blobs, epochs=1)
    assert model.modes == [True] * 5 + [False]  # 5 steps, then the validation set in one chunk


def test_each_parameter_has_its_own_config_and_the_learning_rate_decays(blobs):
    seen = []

    def counting_sgd(w, dw, config):
        config = dict(config, steps=config.get("steps", 0) + 1)
        seen.append((w.shape, config["steps"], config["learning_rate"]))
        return w - config["learning_rate"] * dw, config

    run(SoftmaxClassifier(2, 2), blobs, update=counting_sgd, epochs=2, lr_decay=0.5)
    assert len(seen) == 2 * 5 * 2
    assert seen[-2:] == [((2, 2), 10, 0.25), ((2,), 10, 0.25)]
    assert seen[:2] == [((2, 2), 1, 0.5), ((2,), 1, 0.5)]


def test_the_penalty_is_part_of_the_training_loss(blobs):
    plain = run(SoftmaxClassifier(2, 2), blobs, epochs=1)
    penalised = SoftmaxClassifier(2, 2, l2=0.0)
    penalised.penalty = lambda: 10.0
    with_penalty = run(penalised, blobs, epochs=1)
    assert with_penalty["batch_loss"] == pytest.approx([loss + 10 for loss in plain["batch_loss"]])
    assert with_penalty["val_loss"] == pytest.approx(plain["val_loss"])


def test_an_update_of_the_wrong_shape_is_refused(blobs):
    def summed(w, dw, config):
        return np.sum(w - dw), config

    with pytest.raises(ValueError, match="shape"):
        run(SoftmaxClassifier(2, 2), blobs, update=summed)


def test_evaluate_in_chunks_equals_one_pass(blobs):
    model = SoftmaxClassifier(2, 2)
    run(model, blobs, epochs=2)
    X_train, y_train, _, _ = blobs
    whole = evaluate(model, X_train, y_train, loss=softmax_loss, accuracy=accuracy,
                     batch_size=len(X_train))
    chunked = evaluate(model, X_train, y_train, loss=softmax_loss, accuracy=accuracy,
                       batch_size=7)
    assert chunked == pytest.approx(whole)
