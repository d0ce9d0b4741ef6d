"""Feedback HTML a student can read offline, configured in nbgrader_config.py.

nbgrader's feedback template loads MathJax from the internet, so offline its maths shows as raw
``$$...$$``; and its contents list calls every test "Test cell". Here the maths of markdown cells
is turned into MathML when the feedback is written (browsers draw MathML themselves: nothing to
load), MathJax is not loaded at all, and the contents list names each test by its grade id.
"""
from __future__ import annotations

import re
from pathlib import Path

from latex2mathml.converter import convert
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from dlcourse.tools import nbgrader_adapter

TEMPLATE_NAME = "dlcourse_feedback"
TEMPLATES = Path(__file__).resolve().parent / "feedback_templates"
# Code (fenced blocks, backtick spans) is left alone; then $$display$$, then $inline$ maths.
CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.S)
DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
INLINE = re.compile(r"(?<![\\$])\$(?!\s)([^$\n]+?)(?<![\s\\])\$(?!\d)")


def _mathml(tex: str, display: str) -> str | None:
    try:
        return convert(tex.strip(), display=display)
    except Exception:   # LaTeX the converter does not know: the source stays, readable as is
        return None


def math_to_mathml(markdown: str) -> str:
    """``markdown`` with its $$...$$ and $...$ maths as MathML, code untouched."""
    def replace(display: str):
        def one(match: re.Match) -> str:
            return _mathml(match.group(1), display) or match.group(0)
        return one

    pieces = CODE.split(markdown)
    for index in range(0, len(pieces), 2):   # even pieces are prose, odd ones code
        prose = DISPLAY.sub(replace("block"), pieces[index])
        pieces[index] = INLINE.sub(replace("inline"), prose)
    return "".join(pieces)


class MathToMathML(Preprocessor):
    """Markdown cells' maths as MathML (for feedback read offline)."""

    enabled = Bool(True)   # nbgrader registers its converters' preprocessors as they come

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown":
            cell.source = math_to_mathml(cell.source)
        return cell, resources


def configure(c) -> None:
    """Set nbgrader's feedback up this way (called from nbgrader_config.py)."""
    nbgrader_adapter.configure_feedback(c, MathToMathML, TEMPLATE_NAME, TEMPLATES)
