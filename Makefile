# bitanalysis: the two commands are `make report` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup report notebooks test test-long test-slow lint format lab bench lock clean

LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.d/bitanalysis.json

setup: $(STAMP) $(LAB_SETTINGS)  ## create .venv from the locked dependencies

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (bitanalysis)" >/dev/null
	touch $(STAMP)

# JupyterLab in .venv (never the user's home) opens the jupytext .py notebooks as notebooks on a double click.
$(LAB_SETTINGS): notebooks/.jupyter/overrides.json $(STAMP)
	mkdir -p $(@D)
	cp notebooks/.jupyter/overrides.json $@

# `make report` runs on the sample; `make report DATA=../eksporter PERIOD=2026-10` on your own folder.
DATA ?= data/sample
PERIOD ?= 2026-10
YEAR ?= $(firstword $(subst -, ,$(PERIOD)))
AS_OF ?= 2026-10-31

report: $(STAMP)  ## run the monthly reports on DATA (the sample municipality by default) for PERIOD (2026-10)
	$(BIN)/bitanalysis validate "$(DATA)"
	$(BIN)/bitanalysis findings --data "$(DATA)" --period $(PERIOD)
	$(BIN)/bitanalysis budget --data "$(DATA)" --year $(YEAR) --as-of $(AS_OF) || [ "$(DATA)" != "data/sample" ]
	$(BIN)/bitanalysis report all --data "$(DATA)" --period $(PERIOD)

# `make notebooks` runs the five analyst notebooks on DATA for each of PERIODS into reports/notebooks/<period>/ (.ipynb, .html).
PERIODS ?= 2026-10 2026-Q3 2025

notebooks: setup  ## run the analyst notebooks on DATA for PERIODS (2026-10 2026-Q3 2025) into reports/notebooks/
	$(BIN)/python -m bitanalysis_dev.notebooks --data "$(DATA)" $(foreach p,$(PERIODS),--period $(p))

test: lint $(LAB_SETTINGS)  ## lint, type-check and run the test suite
	$(BIN)/python -m pytest -n 2 --dist loadscope --no-loadscope-reorder --durations=20

test-long: $(STAMP)  ## the long checks CI runs after make test: 1,000 workspaces against the reference, 240 fuzz cases, 55 random layouts, every report of a month
	$(BIN)/python -m pytest -n 2 --dist loadscope --no-loadscope-reorder -m long -p no:cacheprovider

test-slow: $(STAMP)  ## the longest run: 5,000 generated workspaces against the independent reference (about 45 minutes)
	$(BIN)/python -m pytest -m slow tests/test_reference.py

lint: $(STAMP)  ## ruff (lint and format check) and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)  ## rewrite the code in the project's format
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

lab: setup  ## start JupyterLab on notebooks/ with the project's environment as the python3 kernel
	$(BIN)/jupyter lab --notebook-dir=notebooks $$([ "$$(id -u)" = 0 ] && echo --allow-root)

bench: $(STAMP)  ## measure speed against named references; writes benchmarks/RESULTS.md (SCALE=small|large|national)
	$(BIN)/python -m bitanalysis_dev.bench --scale $(or $(SCALE),small)

lock:  ## re-resolve requirements.lock from pyproject.toml (needs uv)
	uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) .bitanalysis-cache
