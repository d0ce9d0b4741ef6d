"""Datasets for the course: small toy problems and MNIST."""
from .mnist import MnistUnavailableError, load_mnist
from .toy import gate_table, make_blobs, make_separable, make_spirals, make_xor

__all__ = ["MnistUnavailableError", "gate_table", "load_mnist", "make_blobs", "make_separable",
           "make_spirals", "make_xor"]
