"""Datasets for the course: small toy problems and MNIST."""
from .toy import gate_table, make_blobs, make_separable, make_spirals, make_xor

__all__ = ["gate_table", "make_blobs", "make_separable", "make_spirals", "make_xor"]
