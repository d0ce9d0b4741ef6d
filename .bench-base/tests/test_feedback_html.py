"""Feedback HTML reads offline: maths as MathML, no MathJax to load, tests named in its contents.

The configuration is the course's own (nbgrader_config.py), rendered here through nbconvert as
nbgrader's `generate_feedback` does; tests/test_docs.py checks the feedback `dlcourse grade`
writes.
"""
import os
import re

import nbformat
import nbgrader
from nbconvert import HTMLExporter

from dlcourse.instructor.feedback import math_to_mathml
from dlcourse.tools import nbgrader_adapter

from conftest import ROOT

BOOTSTRAP = os.path.join(os.path.dirname(nbgrader.__file__), "server_extensions", "formgrader",
                         "static", "node_modules", "bootstrap", "dist", "css")


def test_maths_becomes_mathml_and_code_stays_as_written():
    text = ("The loss $L = \\frac{1}{N}\\sum_i \\ell_i$ costs 5 dollars, not $5.\n\n"
            "$$\\frac{\\partial L}{\\partial W} = X^\\top \\delta$$\n\n"
            "In code: `cost = $x$` and\n```python\nprice = '$1 and $2'\n```\n")
    converted = math_to_mathml(text)
    assert converted.count("<math") == 2 and 'display="block"' in converted
    assert "`cost = $x$`" in converted and "price = '$1 and $2'" in converted
    assert "not $5." in converted
    assert "\\frac" not in converted.split("In code")[0]


def test_latex_the_converter_cannot_read_is_left_as_written():
    assert math_to_mathml("so $\\left( x$ here") == "so $\\left( x$ here"


def test_the_courses_feedback_template_needs_no_internet_and_names_each_test():
    config = nbgrader_adapter.load_config(ROOT)
    config.HTMLExporter.extra_template_paths = [BOOTSTRAP]   # as GenerateFeedback adds it
    exporter = HTMLExporter(config=config)
    for preprocessor in config.GenerateFeedback.preprocessors:
        if preprocessor.__name__ != "GetGrades":   # scores come from the gradebook: set below
            exporter.register_preprocessor(preprocessor)   # as nbgrader does: not enabled=True
    notebook = nbformat.read(ROOT / "course" / "01_perceptron" / "01_perceptron.ipynb", 4)
    tests = [c.metadata.nbgrader for c in notebook.cells
             if c.metadata.get("nbgrader", {}).get("grade")]
    for grade in tests:
        grade["score"] = 0
    html, _ = exporter.from_notebook_node(notebook, resources={"nbgrader": {
        "notebook": "01_perceptron", "score": 0, "max_score": 9, "late_penalty": 0}})
    assert "<script src=" not in html and "cdnjs" not in html and "mathjax.js" not in html
    assert html.count("<math") > 20
    assert not re.search(r"\$\$|\\frac|\\mathbf", html.split("<body")[1])
    listed = re.findall(r'<li><a href="#(test_\w+)">(\w+)</a>', html)
    assert listed == [(g["grade_id"], g["grade_id"]) for g in tests]
