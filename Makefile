# Two commands: `make book` builds the whole book, `make test` runs every test. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Development tools live beside the package in scripts/sirkbok_dev and are not installed with it.
DEV := PYTHONPATH=scripts $(BIN)/python -m

.PHONY: book figures test check serve clean bench bench-data bench-web lint chapter regions screenshots lock

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/sirkbok build

figures: $(STAMP)
	$(BIN)/sirkbok regenerate

test: $(STAMP)
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/sirkbok check

# Regeneration against its targets (no-op, one changed table, 1 vs 2 workers, make book vs the naive
# jupyter-book build), on a temporary copy of the book: `make bench RUNS=5` for more runs.
bench: $(STAMP)
	$(DEV) sirkbok_dev.bench --runs $(or $(RUNS),3)

# Median of 5 wall times: the package (target < 1 s) and a generated 100 000-row table (< 5 s).
bench-data: $(STAMP)
	$(DEV) sirkbok_dev.bench_data

# First visit and next page (raw and gzipped) of the front page and a theme chapter, and time to the
# first chart and to the load event on an emulated slow mobile line (1.6 Mbit/s, 150 ms).
bench-web: $(STAMP)
	$(DEV) sirkbok_dev.bench_web

# PNGs of a theme chapter at 375 and 1280 px in _build/skjermbilder (or OUT=folder) for review.
screenshots: $(STAMP)
	$(DEV) sirkbok_dev.screenshots $(if $(OUT),--out $(OUT))

# requirements.lock: the whole environment for Python 3.11 on Linux, every package pinned with hashes
# (uv, pinned here). Run after changing requirements.txt. Install it: pip install --require-hashes -r requirements.lock
UV_VERSION := 0.13.9
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip compile requirements.txt --generate-hashes --python-version 3.11 \
		--python-platform x86_64-unknown-linux-gnu --custom-compile-command "make lock" \
		--quiet --output-file requirements.lock

lint: $(STAMP)
	$(BIN)/pre-commit run --all-files

serve:
	@test -d _build/html || { echo "Bygg boka først med: make book"; exit 1; }
	@echo "Boka vises på http://127.0.0.1:8000 (Ctrl+C stopper)"
	$(or $(wildcard $(BIN)/python),$(PYTHON)) -m http.server 8000 --bind 127.0.0.1 --directory _build/html

clean:
	rm -rf _build .venv .pytest_cache .hypothesis .sirkbok-cache

# A region's new chapter: make chapter REGION=hadelandsregionen THEME=tekstiler TITLE="…" [AUTHOR="…"]
chapter: $(STAMP)
	$(BIN)/sirkbok new-chapter --region "$(REGION)" --theme "$(THEME)" --title "$(TITLE)" \
		$(if $(AUTHOR),--author "$(AUTHOR)")

regions: $(STAMP)
	$(BIN)/sirkbok regions
