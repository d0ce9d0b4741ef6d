"""A catalogue of right answers that differ from the solution, one module per notebook.

Each entry is a correct function written another way than the solution (a loop instead of vector
code, float32 kept, Python scalars accepted, another valid formulation such as Adam's folded
form). tests/test_right_answers.py swaps it in for the solution and runs the notebook's test
cell, public and hidden tests together: it must pass, so that wider hidden tests never reject
correct work. Names such as `np` or `sigmoid` resolve in the notebook's namespace, as in
tests/wrong_answers.
"""
from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class RightAnswer:
    assignment: str          # e.g. "08_optimizers"
    function: str            # the graded name it replaces, e.g. "adam"
    test: str                # the test cell that must accept it: grade id "test_<test>"
    why: str                 # how it differs from the solution, in words
    implementation: Callable = field(compare=False)

    @property
    def id(self) -> str:
        return f"{self.assignment}:{self.function}:{self.implementation.__name__}"


CATALOGUE: list[RightAnswer] = []


def right_answer(assignment: str, function: str, why: str, *, test: str | None = None):
    """Register the decorated function as a right answer for ``function``."""
    def register(implementation: Callable) -> Callable:
        CATALOGUE.append(RightAnswer(assignment, function, test or function, why,
                                     implementation))
        return implementation
    return register


def load_catalogue() -> list[RightAnswer]:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")
    return sorted(CATALOGUE, key=lambda right: right.id)
