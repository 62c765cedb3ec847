# Two commands set everything up on a fresh machine: `make report` and `make test`.
# `make report` installs only what the report needs; `make test` adds the development tools.
# --no-compile: no bytecode for the ~7,000 Python files of the dependencies at install time (half of
# the install time); Python writes it for the modules actually imported, on first import.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
BENCH_STAMP := $(VENV)/.installed-bench

.PHONY: report test bench lint clean

$(BIN)/python:
	@echo "==> [1/3] creating $(VENV) with $$($(PYTHON) --version)"
	$(PYTHON) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	@echo "==> [2/3] installing rotascope and what the report needs (numpy, pandas, numba, duckdb, scipy, ...): about 30 s from a warm pip cache"
	$(PIP) install --no-compile -e .
	@touch $@

$(DEV_STAMP): $(RUN_STAMP)
	@echo "==> installing the development tools (pytest, hypothesis, ruff, mypy, pyarrow, yfinance, playwright, openpyxl)"
	$(PIP) install -e '.[dev]'
	@# the tests start many Python processes: give them the bytecode the report install skipped
	$(BIN)/python -m compileall -q -j 0 $$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])') > /dev/null || true
	@touch $@

$(BENCH_STAMP): $(RUN_STAMP)
	@echo "==> installing the benchmark peers (bottleneck, polars) and Dask"
	$(PIP) install -e '.[bench]'
	@touch $@

# --update: fetch what is new from Stooq and Ken French first (a few seconds' check decides
# whether they answer); offline, the report uses the embedded sample, and says so.
report: $(RUN_STAMP)
	@echo "==> [3/3] updating current data when online, then building the report (the first run also compiles the numeric kernels, once)"
	$(BIN)/rotascope report --update

test: $(DEV_STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/speed.py
	$(BIN)/python benchmarks/breadth.py

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests benchmarks

clean:
	rm -rf $(VENV) out build *.egg-info src/*.egg-info
