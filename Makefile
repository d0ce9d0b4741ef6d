# `make lab` and `make test` are all an instructor or a CI machine needs; both set up .venv first.
# Students get the kit instead (`dlcourse kit`, docs/instructors.md).
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

# `make lab ARGS="--no-browser --port 8890"`: ARGS go to JupyterLab. `dlcourse lab` adds
# --allow-root as root (containers) and puts the venv's scripts first on PATH (the Formgrader runs
# `alembic` by name to create the gradebook).
lab: $(BIN)/.installed
	$(BIN)/dlcourse lab $(ARGS)

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
