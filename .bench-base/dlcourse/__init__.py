"""dlcourse: the helpers every notebook of the course imports.

Data, plots, the training loop, the checks test cells call, and the `dlcourse` command. It never
contains the implementation of anything a student is graded on.
"""
__version__ = "0.1.0"
