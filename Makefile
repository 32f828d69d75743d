# Two commands: `make book` builds the whole book, `make test` runs every test. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two environments in one .venv, both installed only from hash-locked files (see `make lock`):
# STAMP for building the book and running notebooks, DEV_STAMP adds tests, linting and the PDF.
STAMP := $(VENV)/.runtime-stamp
DEV_STAMP := $(VENV)/.dev-stamp
PIP_LOCKED := $(BIN)/python -m pip install --quiet --require-hashes --no-deps
# Development tools live beside the package in scripts/sirkbok_dev and are not installed with it.
DEV := PYTHONPATH=scripts $(BIN)/python -m

# What a user passes (make chapter TITLE="…", make release VERSION=…) reaches a recipe only as an
# environment variable the shell reads as "$$NAME": never as text in a command line, so quotes,
# `;` or backquotes in it stay text. Each is kept exactly as typed ($(value …) does not expand it,
# so a `$(shell …)` in it is never run, not even when it is exported). Only `NAME:=…` on the command
# line is expanded by make itself, before this file is read.
override REGION := $(value REGION)
override THEME := $(value THEME)
override TITLE := $(value TITLE)
override AUTHOR := $(value AUTHOR)
override VERSION := $(value VERSION)
override RUNS := $(value RUNS)
override OUT := $(value OUT)
export REGION THEME TITLE AUTHOR VERSION RUNS OUT

.PHONY: book figures test check serve clean bench bench-data bench-web bench-scale lint chapter regions \
	screenshots lock pdf release structure

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP_LOCKED) -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	rm -f $(DEV_STAMP)
	touch $(STAMP)

$(DEV_STAMP): requirements-dev.txt $(STAMP)
	$(PIP_LOCKED) -r requirements-dev.txt
	touch $(DEV_STAMP)

book: $(STAMP)
	$(BIN)/sirkbok build

# The whole book as one PDF in _build/pdf (Debian's chromium). Before `make book`, the site links it.
pdf: $(DEV_STAMP)
	$(BIN)/sirkbok pdf

# A citable edition: make release VERSION=1.2.0 (stamps CITATION.cff, .zenodo.json, CHANGELOG.md,
# commits and tags v1.2.0). VERSION reaches the command as an environment variable (see the top).
release: $(STAMP)
	$(BIN)/sirkbok release "$$VERSION"

figures: $(STAMP)
	$(BIN)/sirkbok regenerate

test: $(DEV_STAMP)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/sirkbok check

# Regeneration against its targets (no-op, one changed table, 1 vs 2 workers, make book vs the naive
# jupyter-book build), on a temporary copy of the book: `make bench RUNS=5` for more runs.
bench: $(DEV_STAMP)
	$(DEV) sirkbok_dev.bench --runs "$${RUNS:-3}"

# How make book grows: today's book against one ten times its size (3 regions × 30 chapters, 10× the
# resource-flow rows), made in a temporary copy: no-op, one edit, one table, full runs.
bench-scale: $(DEV_STAMP)
	$(DEV) sirkbok_dev.bench_scale --runs "$${RUNS:-3}"

# Median of 5 wall times: the package (target < 1 s) and a generated 100 000-row table (< 5 s).
bench-data: $(DEV_STAMP)
	$(DEV) sirkbok_dev.bench_data

# First visit and next page (raw and gzipped) of the front page and a theme chapter, and time to the
# first chart and to the load event on an emulated slow mobile line (1.6 Mbit/s, 150 ms).
bench-web: $(DEV_STAMP)
	$(DEV) sirkbok_dev.bench_web

# PNGs of a theme chapter at 375 and 1280 px in _build/skjermbilder (or OUT=folder) for review.
screenshots: $(DEV_STAMP)
	$(DEV) sirkbok_dev.screenshots $${OUT:+--out "$$OUT"}

# The locks, from the one list in pyproject.toml (uv, pinned here), for Python 3.11 on Linux, every
# package pinned with hashes: requirements.txt (dependencies) and requirements-dev.txt (plus [dev],
# with the shared packages held at the runtime lock's versions). Run after changing pyproject.toml.
UV_VERSION := 0.13.9
UV_COMPILE := $(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 \
	--python-platform x86_64-unknown-linux-gnu --custom-compile-command "make lock" --quiet
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(UV_COMPILE) --output-file requirements.txt
	$(UV_COMPILE) --extra dev --constraint requirements.txt --output-file requirements-dev.txt

# ruff (lint and format), mypy (types) and import-linter (the layers in pyproject.toml), as pre-commit runs them.
lint: $(DEV_STAMP)
	$(BIN)/pre-commit run --all-files

# The package's structure picture in README.md, drawn from its imports.
structure: $(DEV_STAMP)
	$(DEV) sirkbok_dev.structure --write

serve:
	@test -d _build/html || { echo "Bygg boka først med: make book"; exit 1; }
	@echo "Boka vises på http://127.0.0.1:8000 (Ctrl+C stopper)"
	$(or $(wildcard $(BIN)/python),$(PYTHON)) -m http.server 8000 --bind 127.0.0.1 --directory _build/html

clean:
	rm -rf _build .venv .pytest_cache .hypothesis .sirkbok-cache

# A region's new chapter: make chapter REGION=hadelandsregionen THEME=tekstiler TITLE="…" [AUTHOR="…"]
chapter: $(STAMP)
	$(BIN)/sirkbok new-chapter --region "$$REGION" --theme "$$THEME" --title "$$TITLE" \
		$${AUTHOR:+--author "$$AUTHOR"}

regions: $(STAMP)
	$(BIN)/sirkbok regions
