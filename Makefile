# The verbs a person types. Everything installs into .venv, created on first use.
# `make book` and `make test` both work from a fresh clone.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SHELL  := /bin/bash
.SHELLFLAGS := -eo pipefail -c

.PHONY: help install book student lab author test lint format bench clean sync

help:
	@echo "make book   - install into .venv, execute every lesson, build the HTML book"
	@echo "              (make book SOLUTIONS=0: the book without solutions, in book/_build/nosolutions)"
	@echo "make student - regenerate the student edition, student/notebooks/*.ipynb, from the lessons"
	@echo "make lab    - open your own copy of the student edition (my-lessons/) in JupyterLab"
	@echo "make author - open the MyST lessons (notebooks/*.md) in JupyterLab, as notebooks"
	@echo "make test   - everything CI checks: lint, unit tests, notebooks, browser tests"
	@echo "make bench  - speed against scikit-learn and PyTorch (installs the peers)"
	@echo "make sync   - regenerate each notebooks/*.ipynb from its .md source"

# Each set of extras has its own stamp; a stamp is re-made (pip re-installs) when pyproject.toml
# changes, so a second `make book` reuses .venv. $(STAMP) is the full development environment.
comma := ,
define venv_install
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[$(1)]'
	touch $@
endef

$(STAMP): pyproject.toml
	$(call venv_install,author$(comma)book$(comma)test)

BOOK_STAMP := $(VENV)/.installed-book
$(BOOK_STAMP): pyproject.toml
	$(call venv_install,student$(comma)book)

LAB_STAMP := $(VENV)/.installed-lab
$(LAB_STAMP): pyproject.toml
	$(call venv_install,lab)

AUTHOR_STAMP := $(VENV)/.installed-author
$(AUTHOR_STAMP): pyproject.toml
	$(call venv_install,author)

install: $(STAMP)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# One pytest run: unit tests, then every lesson executed by nbval (its own asserts count).
# The book is built first: tests/test_book.py opens every page of it in a browser.
test: $(STAMP) lint book
	$(VENV)/bin/pytest tests notebooks --nbval-lax

# book/build.sh: vendor MathJax and the widget manager from npm (once), generate the equation
# index and API pages, execute every lesson, build with warnings as errors. SOLUTIONS=0 builds
# the book from the student edition's sources (no solution anywhere) into book/_build/nosolutions.
SOLUTIONS ?= 1
book: $(BOOK_STAMP)
	VENV=$(VENV) SOLUTIONS=$(SOLUTIONS) book/build.sh

# The student edition: plain-Markdown notebooks, no solutions (tools/student_edition.py).
student: $(BOOK_STAMP)
	$(PY) tools/student_edition.py

# A git-ignored working copy of the student edition: files already there are never overwritten,
# so a student's saved work survives `make lab` and `git pull`.
lab: $(LAB_STAMP)
	mkdir -p my-lessons
	for f in student/notebooks/*.ipynb; do [[ -e my-lessons/$${f##*/} ]] || cp "$$f" my-lessons/; done
	$(VENV)/bin/jupyter lab my-lessons

# The MyST sources as notebooks (.jupyter/jupyter_lab_config.py: .md opens with jupytext).
author: $(AUTHOR_STAMP)
	$(VENV)/bin/jupyter lab --config=.jupyter/jupyter_lab_config.py notebooks

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) bench/run.py

sync: $(STAMP)
	$(VENV)/bin/jupytext --sync notebooks/*.md

clean:
	rm -rf book/_build .pytest_cache .hypothesis
