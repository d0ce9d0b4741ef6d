"""A catalogue of realistic wrong answers, one module per notebook.

Each entry is a function written the way a student plausibly gets it wrong, registered with
:func:`wrong_answer`. tests/test_wrong_answers.py swaps it in for the real answer and runs the
notebook's test cell, public and hidden tests together: the cell must fail, and with a message
(not a bare AssertionError). Where a diagnosis is expected, ``says`` names words the message
must contain.

Each entry has a ``kind``, the kind of mistake it stands for (see KINDS). A wrong answer of a kind
other than "value" must be rejected with a message that names the kind of input it fails on
(KIND_WORDS): "on an int64 array", "on a transposed (3, 2) view", "on its second call".
"""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

# The kinds of mistakes (issue 15), and words one of which the rejection's message must contain.
KIND_WORDS: dict[str, tuple[str, ...]] = {
    "value": (),                       # a wrong formula, sign, axis, ... on ordinary inputs
    "dtype": ("dtype", "int64", "float32", "int array", "integers", "floats", "bool"),
    "python-type": ("Python",),        # a Python float, int or list where the docstring allows it
    "layout": ("view", "Fortran"),     # transposed, strided, reversed views; Fortran order
    "shape": ("shape", "size-1", "size 1", "empty", "non-square", "one row", "one class"),
    "repeated-call": ("call",),        # a stateful method or function called again
    "statistics": (),                  # distributions: its `says` names what is judged
    "weak-check": (),                  # caught only because a check that could not fail was fixed
}
KINDS = tuple(KIND_WORDS)


@dataclass(frozen=True)
class WrongAnswer:
    assignment: str          # e.g. "01_perceptron"
    function: str            # the graded name it replaces, e.g. "perceptron_predict"
    test: str                # the test cell that must reject it: grade id "test_<test>"
    mistake: str             # what the student did wrong, in words
    implementation: Callable = field(compare=False)
    says: tuple[str, ...] = ()
    kind: str = "value"

    @property
    def id(self) -> str:
        return f"{self.assignment}:{self.function}:{self.implementation.__name__}"


CATALOGUE: list[WrongAnswer] = []


def wrong_answer(assignment: str, function: str, mistake: str, *, test: str | None = None,
                 says: tuple[str, ...] = (), kind: str = "value"):
    """Register the decorated function as a wrong answer for ``function``."""
    if kind not in KIND_WORDS:
        raise ValueError(f"unknown kind {kind!r}; choose from {KINDS}")

    def register(implementation: Callable) -> Callable:
        CATALOGUE.append(WrongAnswer(assignment, function, test or function, mistake,
                                     implementation, says, kind))
        return implementation
    return register


def load_catalogue() -> list[WrongAnswer]:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return sorted(CATALOGUE, key=lambda wrong: wrong.id)
