"""Instructor-only tooling: building and releasing notebooks, grading a class, the course report.

Never part of the student kit. Imports flow one way: instructor -> tools -> runtime."""
