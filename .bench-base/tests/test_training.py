"""The training loop released to notebooks 07-09 (training_loop.py, built from notebook 06's
answers): the protocol later notebooks rely on, on a softmax classifier of two blobs."""
import importlib.util

import numpy as np
import pytest

from dlcourse.data import make_blobs
from dlcourse.instructor import build
from dlcourse.testing import LinearModel

from conftest import ROOT

MODULE = next(module for module in build.PROVIDED_MODULES
              if module.filename == "training_loop.py")
RECEIVERS = [ROOT / "solutions" / name / MODULE.filename for name in MODULE.receivers
             if (ROOT / "solutions" / name).is_dir()]


def _load(path):
    spec = importlib.util.spec_from_file_location(f"training_loop_{path.parent.name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def loop():
    return _load(RECEIVERS[0])


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


def classifier(dtype=np.float64, l2=0.0):
    return LinearModel(np.zeros((2, 2), dtype), np.zeros(2, dtype), l2)


@pytest.fixture
def blobs():
    X, y = make_blobs(100, np.random.default_rng(0), distance=3.0, std=1.0)
    return X[:150], y[:150], X[150:], y[150:]


def run(loop, model, blobs, **options):
    X_train, y_train, X_val, y_val = blobs
    settings = dict(loss=softmax_loss, accuracy=accuracy, update=sgd,
                    optim_config={"learning_rate": 0.5}, epochs=8, batch_size=32,
                    rng=np.random.default_rng(1), X_val=X_val, y_val=y_val, progress=False)
    return loop.train(model, X_train, y_train, **(settings | options))


def test_every_receiver_gets_the_same_module():
    assert RECEIVERS and len({path.read_text() for path in RECEIVERS}) == 1


def test_minibatch_indices_cover_every_example_once_with_a_new_order_per_call(loop):
    batches = loop.minibatch_indices(10, 4)
    assert [b.tolist() for b in batches] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    rng, expected = np.random.default_rng(7), np.random.default_rng(7)
    for _ in range(2):
        order = np.concatenate(loop.minibatch_indices(10, 3, rng))
        np.testing.assert_array_equal(order, expected.permutation(10))
    assert [len(b) for b in loop.minibatch_indices(5, 8, rng)] == [5]


def test_learns_and_records_one_entry_per_epoch(loop, blobs):
    model = classifier()
    history = run(loop, model, blobs)
    assert {k: len(v) for k, v in history.items()} == {
        "train_loss": 8, "train_acc": 8, "val_loss": 8, "val_acc": 8, "seconds": 8,
        "batch_loss": 8 * 5}  # 150 examples in batches of 32: 4 full batches and one of 22
    assert history["train_loss"][-1] < 0.5 * history["train_loss"][0]
    assert history["val_acc"][-1] > 0.9
    assert history["seconds"] == sorted(history["seconds"])
    X_train, y_train, X_val, y_val = blobs
    assert (history["val_loss"][-1], history["val_acc"][-1]) == pytest.approx(
        loop.evaluate(model, X_val, y_val, loss=softmax_loss, accuracy=accuracy))


def test_without_validation_set_there_are_no_validation_curves(loop, blobs):
    history = run(loop, classifier(), blobs, X_val=None, y_val=None)
    assert "val_loss" not in history and "val_acc" not in history


def test_same_rng_same_result(loop, blobs):
    first, second = classifier(), classifier()
    assert run(loop, first, blobs)["batch_loss"] == run(loop, second, blobs)["batch_loss"]
    np.testing.assert_array_equal(first.params["W"], second.params["W"])


def test_parameters_are_updated_in_place_and_keep_their_dtype(loop, blobs):
    model = classifier(np.float32)
    X_train, y_train, X_val, y_val = blobs
    run(loop, model, (X_train.astype(np.float32), y_train, X_val.astype(np.float32), y_val))
    assert model.params["W"] is model.W and model.W.dtype == np.float32 and np.any(model.W != 0)


def test_forward_is_in_training_mode_only_while_training(loop, blobs):
    model = classifier()
    run(loop, model, blobs, epochs=1)
    assert model.calls == [(32, True)] * 4 + [(22, True), (50, False)]


def test_each_parameter_has_its_own_config_and_the_learning_rate_decays(loop, blobs):
    seen = []

    def counting_sgd(w, dw, config):
        config = dict(config, steps=config.get("steps", 0) + 1)
        seen.append((w.shape, config["steps"], config["learning_rate"]))
        return w - config["learning_rate"] * dw, config

    run(loop, classifier(), blobs, update=counting_sgd, epochs=2, lr_decay=0.5)
    assert len(seen) == 2 * 5 * 2
    assert seen[-2:] == [((2, 2), 10, 0.25), ((2,), 10, 0.25)]
    assert seen[:2] == [((2, 2), 1, 0.5), ((2,), 1, 0.5)]


def test_the_penalty_is_part_of_the_training_loss(loop, blobs):
    plain = run(loop, classifier(), blobs, epochs=1)
    penalised = classifier()
    penalised.penalty = lambda: 10.0
    with_penalty = run(loop, penalised, blobs, epochs=1)
    assert with_penalty["batch_loss"] == pytest.approx([loss + 10 for loss in plain["batch_loss"]])
    assert with_penalty["val_loss"] == pytest.approx(plain["val_loss"])


def test_evaluate_in_chunks_equals_one_pass(loop, blobs):
    model = classifier()
    run(loop, model, blobs, epochs=2)
    X_train, y_train, _, _ = blobs
    whole = loop.evaluate(model, X_train, y_train, loss=softmax_loss, accuracy=accuracy,
                          batch_size=len(X_train))
    chunked = loop.evaluate(model, X_train, y_train, loss=softmax_loss, accuracy=accuracy,
                            batch_size=7)
    assert chunked == pytest.approx(whole)


def test_the_progress_bar_goes_to_stderr_only_when_asked(loop, blobs, capsys):
    run(loop, classifier(), blobs, epochs=1)
    assert capsys.readouterr().err == ""
    run(loop, classifier(), blobs, epochs=1, progress=True)
    assert "5/5" in capsys.readouterr().err
