"""Tooling shared by students and instructors: `dlcourse check`, the trusted grader, nbgrader."""
