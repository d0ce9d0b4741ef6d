"""Notebook 01 judges xor_gate against the student's own gates: a wrong gate costs the gate's
points, not XOR's too."""
import numpy as np
import pytest

from notebook_cells import answer_namespace, run_test_cell


def nand_gate_wrong(x1, x2):  # NOR: wrong at (0, 1) and (1, 0)
    return step(1 - x1 - x2)  # noqa: F821


def or_gate_wrong(x1, x2):  # AND's line: wrong at (0, 1) and (1, 0)
    return step(x1 + x2 - 1.5)  # noqa: F821


@pytest.mark.parametrize("name, wrong",
                         [("nand_gate", nand_gate_wrong), ("or_gate", or_gate_wrong)])
def test_a_wrong_gate_costs_only_the_gates_points(name, wrong, capsys):
    namespace = answer_namespace("01_perceptron", {name: wrong})
    with pytest.raises(AssertionError):
        run_test_cell("01_perceptron", "gates", namespace)
    run_test_cell("01_perceptron", "xor_gate", namespace)  # the solution's xor_gate still passes
    assert "xor_gate: all checks passed" in capsys.readouterr().out
    # ... although its truth table is not XOR's, because it is built from the wrong gate
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
    assert not np.array_equal(namespace["xor_gate"](corners[:, 0], corners[:, 1]), [0, 1, 1, 0])
