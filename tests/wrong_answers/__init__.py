"""A catalogue of realistic wrong answers, one module per notebook.

Each entry is a function written the way a student plausibly gets it wrong, registered with
:func:`wrong_answer`. tests/test_wrong_answers.py swaps it in for the real answer and runs the
notebook's test cell, public and hidden tests together: the cell must fail, and with a message
(not a bare AssertionError). Where a diagnosis is expected, ``says`` names words the message
must contain.
"""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class WrongAnswer:
    assignment: str          # e.g. "01_perceptron"
    function: str            # the graded name it replaces, e.g. "perceptron_predict"
    test: str                # the test cell that must reject it: grade id "test_<test>"
    mistake: str             # what the student did wrong, in words
    implementation: Callable = field(compare=False)
    says: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.assignment}:{self.function}:{self.implementation.__name__}"


CATALOGUE: list[WrongAnswer] = []


def wrong_answer(assignment: str, function: str, mistake: str, *, test: str | None = None,
                 says: tuple[str, ...] = ()):
    """Register the decorated function as a wrong answer for ``function``."""
    def register(implementation: Callable) -> Callable:
        CATALOGUE.append(WrongAnswer(assignment, function, test or function, mistake,
                                     implementation, says))
        return implementation
    return register


def load_catalogue() -> list[WrongAnswer]:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return sorted(CATALOGUE, key=lambda wrong: wrong.id)
