# Two commands: `make book` builds the whole book, `make test` runs every test. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: book figures test check serve clean bench bench-data bench-web lint chapter regions

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
	$(BIN)/sirkbok validate

# Median of 5 wall times: the package (target < 1 s) and a generated 100 000-row table (< 5 s).
bench-data: $(STAMP)
	$(BIN)/python -m sirkbok.bench_data

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
