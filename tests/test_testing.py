"""dlcourse.testing: what a student is told when an answer is wrong."""
import numpy as np
import pytest

from dlcourse.testing import (
    FeedbackError,
    call_on,
    call_quietly,
    call_unmutated,
    check_backward,
    check_close,
    check_dtype,
    check_equal,
    check_true,
    describe,
    describe_shape,
    missing_keys,
)


def message_of(check, *args, **kwargs):
    with pytest.raises(FeedbackError) as failure:
        check(*args, **kwargs)
    return str(failure.value)


def test_check_close_passes_within_rounding():
    x = np.random.default_rng(0).standard_normal((3, 4))
    check_close(x + 1e-13, x, "x")
    check_close(x.astype(np.float32), x, "x in float32")


def test_a_documented_dtype_is_checked_and_the_slip_named():
    x = np.array([-1.0, 2.0])
    check_close(x > 0, [0.0, 1.0], "relu_grad(x)")       # values only: bools pass
    message = message_of(check_close, x > 0, [0.0, 1.0], "relu_grad(x)", dtype=np.floating)
    assert "should hold floats but its dtype is bool" in message and "comparison" in message
    message = message_of(check_dtype, np.zeros(2, dtype=int), np.floating, "sigmoid_grad(x)")
    assert "int64" in message and "np.zeros_like" in message
    message = message_of(check_dtype, np.zeros(2), np.float32, "out")
    assert "should have dtype float32 but its dtype is float64" in message
    check_dtype(np.float32(1), np.float32, "a numpy scalar")
    check_dtype(0.5, np.floating, "a Python float")


def test_none_means_a_missing_return():
    assert "return" in message_of(check_close, None, np.zeros(3), "out")


def test_transposed_shape():
    message = message_of(check_close, np.zeros((4, 3)), np.zeros((3, 4)), "dW")
    assert "shape (4, 3), expected (3, 4)" in message and "transposed" in message


def test_bias_gradient_not_summed():
    message = message_of(check_close, np.ones((5, 3)), np.full(3, 5.0), "db")
    assert "summed over the batch" in message


def test_not_averaged_over_the_batch():
    expected = np.random.default_rng(1).standard_normal((4, 3))
    message = message_of(check_close, expected * 8, expected, "dx", batch_size=8)
    assert "8 times too large" in message and "average" in message


def test_averaged_once_too_often():
    expected = np.random.default_rng(2).standard_normal(6)
    message = message_of(check_close, expected / 8, expected, "dx", batch_size=8)
    assert "8 times too small" in message


def test_sign_flipped():
    expected = np.random.default_rng(3).standard_normal((2, 3))
    assert "wrong sign" in message_of(check_close, -expected, expected, "dx")


def test_square_matrix_transposed():
    expected = np.arange(9.0).reshape(3, 3)
    assert "transpose" in message_of(check_close, expected.T, expected, "W")


def test_worst_entry_and_errors_are_reported():
    expected = np.zeros((2, 3))
    got = expected.copy()
    got[1, 2] = 0.5
    message = message_of(check_close, got, expected, "out")
    assert "1 of 6 entries" in message and "[1, 2]" in message and "expected 0, got 0.5" in message
    assert "max abs error 0.5" in message


def test_nan_is_reported_with_its_likely_cause():
    got = np.array([1.0, np.nan, 0.0])
    message = message_of(check_close, got, np.array([1.0, 0.5, 0.0]), "softmax(z)")
    assert "NaN at [1]" in message and "overflow" in message


def test_scalar_expected_but_array_given():
    assert "single number" in message_of(check_close, (1.0, 2.0), 1.0, "loss")
    assert "scalar" in message_of(check_close, np.array([0.5]), 0.5, "loss")
    message = message_of(check_close, np.ones(4), 1.0, "loss", batch_size=4)
    assert "average over the batch" in message


def test_check_equal_names_the_first_wrong_row_and_input():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]])
    message = message_of(check_equal, np.array([0, 0, 0]), np.array([0, 1, 1]), "predict", rows=X)
    assert "first wrong entry [1]: expected 1, got 0" in message
    assert "input row 1: [1., 1.]" in message


def test_check_equal_wants_integers():
    message = message_of(check_equal, np.array([True, False]), np.array([1, 0]), "step(x)")
    assert "integers" in message and "values themselves are right" in message


def test_check_equal_diagnoses_flipped_and_signed_labels():
    assert "flipped" in message_of(check_equal, np.array([1, 0, 1]), np.array([0, 1, 0]), "labels")
    assert "np.sign" in message_of(check_equal, np.array([-1, 1]), np.array([0, 1]), "labels")


def test_call_unmutated_names_the_modified_input():
    def relu_in_place(x):
        np.maximum(x, 0, out=x)
        return x

    message = message_of(call_unmutated, relu_in_place, np.array([-1.0, 2.0]))
    assert "modified its input x in place" in message


def test_call_unmutated_checks_dict_arguments():
    def momentum_in_place(w, dw, config):
        config["velocity"] *= 0.9
        return w, config

    def momentum_sets_entry(w, dw, config):
        config["velocity"] = 0.9 * config["velocity"]
        return w, config

    def momentum_on_a_copy(w, dw, config):
        config = dict(config, velocity=0.9 * config["velocity"])
        return w, config

    args = (np.ones(2), np.ones(2))
    message = message_of(call_unmutated, momentum_in_place, *args, {"velocity": np.ones(2)})
    assert "modified its input config['velocity'] in place" in message
    message = message_of(call_unmutated, momentum_sets_entry, *args, {"velocity": np.ones(2)})
    assert "input dict config" in message and "'velocity'" in message
    call_unmutated(momentum_on_a_copy, *args, {"velocity": np.ones(2), "rng": object()})


def test_call_unmutated_checks_the_arrays_a_cache_holds():
    def backward_reusing_x(dout, cache):
        x, w = cache
        dx = x                          # an alias: the cache's x becomes dx
        dx[...] = dout @ w.T
        return dx

    def backward_reshaping_w(dout, cache):
        x, w = cache
        w.shape = (-1,)
        return dout * w.sum()

    cache = (np.ones((2, 3)), np.ones((3, 2)))
    message = message_of(call_unmutated, backward_reusing_x, np.ones((2, 2)), cache)
    assert "modified its input cache[0] in place" in message and "second call" in message
    message = message_of(call_unmutated, backward_reshaping_w, np.ones((2, 2)),
                         (np.ones((2, 3)), np.ones((3, 2))))
    assert "changed the shape of its input cache[1]" in message and "(3, 2)" in message


def test_call_unmutated_returns_the_result():
    assert call_unmutated(np.add, np.ones(2), np.ones(2)).tolist() == [2.0, 2.0]


def _affine_forward(x, w, b):
    return x @ w + b, (x, w)


def _affine_backward(dout, cache):
    x, w = cache
    return dout @ w.T, x.T @ dout, dout.sum(axis=0)


def _affine_backward_bias_not_summed(dout, cache):
    x, w = cache
    return dout @ w.T, x.T @ dout, dout


def test_check_backward_accepts_right_gradients_and_diagnoses_wrong_ones():
    rng = np.random.default_rng(4)
    inputs = {"x": rng.standard_normal((5, 3)), "w": rng.standard_normal((3, 2)),
              "b": rng.standard_normal(2)}
    check_backward(_affine_forward, _affine_backward, inputs, rng=rng)
    message = message_of(check_backward, _affine_forward, _affine_backward_bias_not_summed,
                         inputs, rng=rng)
    assert "db from _affine_backward_bias_not_summed" in message
    assert "summed over the batch" in message


def test_check_backward_counts_gradients():
    rng = np.random.default_rng(5)
    inputs = {"x": rng.standard_normal((2, 3)), "w": rng.standard_normal((3, 2)),
              "b": rng.standard_normal(2)}
    message = message_of(check_backward, _affine_forward, lambda dout, cache: dout, inputs, rng=rng)
    assert "should return 3 gradient(s)" in message


def test_check_true_explains_itself():
    assert message_of(check_true, False, "the loss did not go down") == "the loss did not go down"


def test_call_quietly_reports_a_warning_and_its_cause():
    def naive_sigmoid(x):
        return 1 / (1 + np.exp(-x))

    message = message_of(call_quietly, naive_sigmoid, np.array([-1000.0, 0.0]))
    assert "RuntimeWarning: overflow encountered in exp" in message
    assert "subtract the max" in message
    assert call_quietly(naive_sigmoid, np.array([0.0])) == 0.5


def test_a_loss_summed_instead_of_averaged():
    message = message_of(check_close, 12.0, 3.0, "loss", batch_size=4)
    assert "4 times too large" in message
    assert "Likely mistake" not in message_of(check_close, 12.0, 3.0, "loss")
    assert "Likely mistake" not in message_of(check_close, 5.0, 3.0, "loss", batch_size=4)


def test_a_diagnosis_needs_evidence_that_fits_it():
    """Near misses: one wrong entry is not 'every value off by the same amount'."""
    expected = np.array([100.0, 0.1, 0.1])
    with pytest.raises(FeedbackError) as near_miss:
        check_close(expected + [2e-9, 2e-9, 5e-6], expected, "v")
    assert "wrong in 1 of 3" in str(near_miss.value)
    assert "same amount" not in str(near_miss.value) and "Likely" not in str(near_miss.value)
    with pytest.raises(FeedbackError) as shifted:
        check_close(expected + 0.5, expected, "v")
    assert "same amount, 0.5" in str(shifted.value)
    with pytest.raises(FeedbackError) as scaled_one:
        check_close(np.array([2.0, 3.0, 4.0, 10.0]), np.array([2.0, 3.0, 4.0, 5.0]), "v")
    assert "same factor" not in str(scaled_one.value)


def test_feedback_shows_numbers_never_a_text_the_students_code_returned():
    # In a hidden check, a returned value is the student's choice: a text (or a long list) could
    # carry the hidden inputs the function was given. Numbers and small numeric arrays are shown.
    secret = "LEAK[0.125, 7.0, 3.5]"
    assert describe(secret) == "a str of length 21"
    assert describe(np.float32(2.5)) == "2.5" and describe([1, 2.5]) == "[1, 2.5]"
    assert describe(np.array([1.0, -2.0])) == "[ 1., -2.]"
    for value in ([secret], (secret, 1), {secret: 1}, list(range(100)), np.array([secret]),
                  np.array(list(range(100))), 10 ** 60):
        assert "LEAK" not in describe(value) and "99" not in describe(value), value
    message = message_of(check_equal, np.array([secret, "b"]), np.array(["a", "b"]), "labels")
    assert "LEAK" not in message and "labels" in message
    message = message_of(check_close, np.zeros((0, 842079, 811068)), np.zeros((5, 4)), "h")
    assert "842079" not in message and "(5, 4)" in message
    assert describe_shape((4, 5), (5, 4)) == "(4, 5)" and "842079" not in describe_shape(
        (0, 842079))
    assert describe([(4, False), (2, False)]) == "[(4, False), (2, False)]"
    assert describe([(secret, 1)]) == "a list of length 1"
    assert missing_keys({"m": 1, secret: 2}, ("m", "v")) == "it lacks 'v', and has 1 other key(s)"
    message = message_of(check_close, [secret], np.array([1.0]), "loss")
    assert "LEAK" not in message and "numbers" in message


def test_call_on_names_the_kind_of_input_a_function_fails_on():
    def tanh_grad(x):
        return 1 - np.tanh(x.astype(float)) ** 2

    message = message_of(call_on, "a Python float", tanh_grad, 0.5)
    assert message.startswith("tanh_grad on a Python float raised AttributeError")
    assert "np.asarray" in message and "0.5" not in message
    assert call_on("an int array", tanh_grad, np.array([0])) == 1.0

    def tells(x):  # a student who would print a hidden input into the feedback
        raise ValueError(f"the hidden x is {x!r}")

    message = message_of(call_on, "a float64 (3,) array", tells, np.array([0.125, 7.0, 3.5]))
    assert "ValueError" in message and "0.125" not in message and "hidden" not in message

    def stub(x):
        raise NotImplementedError()

    class GraderError(Exception):
        pass

    def stops(x):
        raise GraderError("time limit")

    with pytest.raises(NotImplementedError):
        call_on("an array", stub, np.zeros(2))
    with pytest.raises(GraderError):        # not a mistake of the student's: raised unchanged
        call_on("an array", stops, np.zeros(2))
