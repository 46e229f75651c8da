# The verbs a person types. Everything installs into .venv, created on first use.
# `make book` and `make test` both work from a fresh clone.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SHELL  := /bin/bash
.SHELLFLAGS := -eo pipefail -c

.PHONY: help install book pdf student test test-fast check unit lessons browser browser-tests lint format lab author bench clean sync

help:
	@echo "make book      - install into .venv, execute every lesson, build the HTML book"
	@echo "                 (make book SOLUTIONS=0: the book without solutions, in book/_build/nosolutions)"
	@echo "make pdf       - the whole book as one PDF (after make book), linked from the book"
	@echo "make student   - regenerate the student edition, student/notebooks/*.ipynb, from the lessons"
	@echo "make lab       - open your own copy of the student edition (my-lessons/) in JupyterLab"
	@echo "make author    - open the MyST lessons (notebooks/*.md) in JupyterLab, as notebooks"
	@echo "make test      - everything CI checks, in stages, cheapest first (each one timed):"
	@echo "                 1 check (lint, generated files up to date), 2 unit tests,"
	@echo "                 3 lessons (the book build, then the student edition from a fresh wheel),"
	@echo "                 4 browser tests"
	@echo "make test-fast - stages 1 and 2 only (about a minute)"
	@echo "make bench     - speed against scikit-learn and PyTorch (installs the peers; QUICK=1: smoke run)"
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

# `make test` runs four stages, cheapest first, and stops at the first that fails. Markers
# (pyproject.toml) sort the tests: `sync` = generated files up to date, `lesson` = builds or
# executes lessons, `browser` = drives Chromium; everything else is a unit test.
# Each lesson executes twice: in the book build (a failing cell fails the build), and as the
# student edition in a fresh wheel install (tests/student_runs.py). The book without solutions
# (tests/test_book_nosolutions.py) has the same code cells and is built from that run's
# outputs; JupyterLab (tests/test_jupyterlab.py) renders that run and runs two cells of its own.
# Every kernel of the run logs the cells it runs (tools/execution_count.py): after the stages,
# a lesson executed more than twice fails `make test`. nbval (`pytest --nbval-lax
# notebooks/NN.ipynb`) stays at hand for one lesson; make test does not run it.
PYTEST := $(VENV)/bin/pytest -p no:cacheprovider
STAGE  := .ci/stage
COUNT  := $(CURDIR)/book/_build/executions

test: export IPYTHONDIR := $(COUNT)/ipython
test: export MLPCORE_EXECUTION_LOG := $(COUNT)/cells.log
test: $(STAMP)
	rm -rf $(COUNT) && $(PY) tools/execution_count.py setup $(COUNT)
	$(STAGE) 1-check $(MAKE) --no-print-directory check
	$(STAGE) 2-unit $(MAKE) --no-print-directory unit
	$(STAGE) 3-lessons $(MAKE) --no-print-directory lessons
	$(STAGE) 4-browser $(MAKE) --no-print-directory browser-tests
	$(PY) tools/execution_count.py report $(COUNT)

test-fast: $(STAMP)
	$(STAGE) 1-check $(MAKE) --no-print-directory check
	$(STAGE) 2-unit $(MAKE) --no-print-directory unit

check: lint
	$(PYTEST) tests -q -m sync

unit: $(STAMP)
	$(PYTEST) tests -q -m "not sync and not lesson and not browser"

lessons: book
	$(PYTEST) tests -q -m "lesson and not browser"

# The browser tests read the built book and its PDF. `make browser` builds the book first;
# stage 4 of `make test` runs `browser-tests` on the book that stage 3 built (no second build).
# XeLaTeX typesets the PDF beside the tests that do not read it (one core each, mostly), then
# tests/test_book_pdf.py reads it.
browser: book
	$(MAKE) --no-print-directory browser-tests

PDF_LOG := book/_build/pdf.log
browser-tests: $(STAMP)
	mkdir -p book/_build
	$(PY) book/build_pdf.py > $(PDF_LOG) 2>&1 & pdf=$$!; rc=0; \
	$(PYTEST) tests -q -m browser --ignore=tests/test_book_pdf.py || rc=$$?; \
	wait $$pdf || { tail -40 $(PDF_LOG); exit 1; }; tail -1 $(PDF_LOG); exit $$rc
	$(PYTEST) tests/test_book_pdf.py -q

# book/build.sh: vendor MathJax and the widget manager from npm (once), generate the equation
# index and API pages, execute every lesson, build with warnings as errors. SOLUTIONS=0 builds
# the book from the student edition's sources (no solution anywhere) into book/_build/nosolutions.
SOLUTIONS ?= 1
book: $(BOOK_STAMP)
	VENV=$(VENV) SOLUTIONS=$(SOLUTIONS) book/build.sh

# The whole book typeset by XeLaTeX from Debian's TeX (book/build_pdf.py; .ci/run installs the
# packages): the lessons come from the execution cache that `make book` filled.
pdf: book
	$(PY) book/build_pdf.py

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

# Writes bench/results.json, then README.md's speed tables from it (bench/report.py).
# QUICK=1: a smoke run (2 rounds, small data) into bench/results-quick.json; README untouched.
bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) bench/run.py $(if $(QUICK),--quick)
	$(if $(QUICK),,$(PY) bench/report.py --readme > /dev/null)

sync: $(STAMP)
	$(VENV)/bin/jupytext --sync notebooks/*.md

clean:
	rm -rf book/_build .pytest_cache .hypothesis
