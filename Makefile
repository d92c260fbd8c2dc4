# diplograph — every install step lives here, so a clean clone works offline-from-PyPI.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
SHARED ?= ../shared
DB ?= diplograph.duckdb
HOST ?= 127.0.0.1
PORT ?= 8765

.PHONY: install demo test bench lint browser-deps clean

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; set PYTHON=/path/to/python3.11" >&2; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,scale]'
	touch $@

install: $(VENV)/.installed

demo: install
	$(BIN)/diplograph ingest examples/corpus --db $(DB)
	$(BIN)/diplograph serve --db $(DB) --host $(HOST) --port $(PORT)

# Debian's Chromium for the browser tests (Playwright cannot download browsers offline).
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
		else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; \
	fi

test: install browser-deps
	$(BIN)/ruff check src tests bench tools
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check src tests bench tools

bench: install
	$(PY) bench/run_bench.py --shared $(SHARED)

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
