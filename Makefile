# `make lab` and `make test` are all a student or a CI machine needs; both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# One BLAS thread per process: pytest runs two workers on two cores, and oversubscribed BLAS
# threads made the notebook tests several times slower.
export OMP_NUM_THREADS ?= 1
export OPENBLAS_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1

.PHONY: lab test lint release clean

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable ".[dev]"
	touch $@

lab: $(BIN)/.installed
	$(BIN)/jupyter lab course/

# Two stages: everything in parallel, then the full-length notebook runs one at a time, so that
# their training-time targets are measured on an otherwise idle machine (one BLAS thread: two
# threads measured slower on these 2-core machines).
test: lint
	$(BIN)/python -m pytest -n 2 -m "not full"
	$(BIN)/python -m pytest -m full

# About a second once mypy has its cache (.mypy_cache); its first run takes 6 s of CPU.
lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/mypy

release: $(BIN)/.installed
	$(BIN)/python -m dlcourse release

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache gradebook.db
