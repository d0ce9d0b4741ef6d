"""Every catalogued wrong answer is rejected by its test cell, with a message worth reading."""
import pytest

from notebook_cells import answer_namespace, run_test_cell
from wrong_answers import KIND_WORDS, load_catalogue

CATALOGUE = load_catalogue()
ASSIGNMENTS = sorted({wrong.assignment for wrong in CATALOGUE})


@pytest.mark.parametrize("wrong", CATALOGUE, ids=lambda wrong: wrong.id)
def test_wrong_answer_is_rejected(wrong, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # a cell that writes files writes them here
    namespace = answer_namespace(wrong.assignment, {wrong.function: wrong.implementation})
    with pytest.raises(Exception) as failure:
        run_test_cell(wrong.assignment, wrong.test, namespace)
    # A NameError or ImportError means the catalogue entry is broken, not that it was caught.
    assert not isinstance(failure.value, (NameError, ImportError, SyntaxError)), failure.value
    if isinstance(failure.value, AssertionError):
        message = str(failure.value)
        assert len(message) > 40, f"{wrong.id} was rejected with a bare message: {message!r}"
        for words in wrong.says:
            assert words in message, (f"the message for '{wrong.mistake}' should say "
                                      f"{words!r}:\n{message}")
        kind_words = KIND_WORDS[wrong.kind]
        assert not kind_words or any(words in message for words in kind_words), (
            f"the message for '{wrong.mistake}' ({wrong.kind}) should name the kind of input, "
            f"with one of {kind_words}:\n{message}")


def test_catalogue_covers_every_graded_function():
    """At least three wrong answers per test cell of every notebook with a catalogue."""
    from dlcourse.tools import nbgrader_adapter

    from notebook_cells import source_notebook

    for assignment in ASSIGNMENTS:
        tests = nbgrader_adapter.sources_by_role(source_notebook(assignment), "test")
        for grade_id in tests:
            caught = [w for w in CATALOGUE
                      if w.assignment == assignment and f"test_{w.test}" == grade_id]
            assert len(caught) >= 3, f"{assignment}: {grade_id} has {len(caught)} wrong answers"
