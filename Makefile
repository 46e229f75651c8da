# The verbs a person types. Everything installs into .venv, created on first use.
# `make book` and `make test` both work from a fresh clone.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SHELL  := /bin/bash
.SHELLFLAGS := -eo pipefail -c

.PHONY: help install book pdf test lint format lab bench clean sync

help:
	@echo "make book   - install into .venv, execute every lesson, build the HTML book"
	@echo "make pdf    - the whole book as one PDF (after make book), linked from the book"
	@echo "make test   - everything CI checks: lint, unit tests, notebooks, browser tests"
	@echo "make lab    - open the lessons in JupyterLab"
	@echo "make bench  - speed against scikit-learn and PyTorch (installs the peers)"
	@echo "make sync   - regenerate each notebooks/*.ipynb from its .md source"

# Re-install only when pyproject.toml changes, so a second `make book` reuses .venv.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[course,test]'
	touch $@

install: $(STAMP)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# One pytest run: unit tests, then every lesson executed by nbval (its own asserts count).
# The book is built first: tests/test_book.py opens every page of it in a browser.
test: $(STAMP) lint book pdf
	$(VENV)/bin/pytest tests notebooks --nbval-lax

# book/build.sh: vendor MathJax and the widget manager from npm (once), generate the equation
# index and API pages, execute every lesson, build with warnings as errors.
book: $(STAMP)
	VENV=$(VENV) book/build.sh

# The book printed by Chromium from its single-page build (book/print_pdf.py): the lessons come
# from the execution cache that `make book` filled.
pdf: book
	$(PY) book/print_pdf.py

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) bench/run.py

sync: $(STAMP)
	$(VENV)/bin/jupytext --sync notebooks/*.md

clean:
	rm -rf book/_build .pytest_cache .hypothesis
