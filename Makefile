# presse: two commands on a fresh clone, `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CORPUS ?= seeds/

.PHONY: install run test check bench bench-large clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "presse needs Python 3.10+"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/presse $(CORPUS)

test: $(STAMP)
	$(BIN)/python -m pytest -q

check: $(STAMP)
	$(BIN)/ruff check index tui tests
	$(BIN)/ruff format --check index tui tests
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m tests.bench

# On demand only, an hour or more: 100,000 articles, and a Dask LocalCluster's overhead.
bench-large: $(STAMP)
	$(BIN)/python -m tests.bench --only huge cluster

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
