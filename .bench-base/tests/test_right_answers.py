"""Every catalogued right answer passes its test cell, hidden tests included."""
import pytest

from notebook_cells import answer_namespace, run_test_cell
from right_answers import load_catalogue

CATALOGUE = load_catalogue()


@pytest.mark.parametrize("right", CATALOGUE, ids=lambda right: right.id)
def test_right_answer_passes(right, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # a cell that writes files writes them here
    namespace = answer_namespace(right.assignment, {right.function: right.implementation})
    run_test_cell(right.assignment, right.test, namespace)
