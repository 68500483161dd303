# evalkit — `make help` lists the targets. Only Python 3.11+ and make are needed:
# every target creates the environment in .venv when it is missing.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_NBVAL := --nbval-lax --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "evalkit needs Python 3.11 or newer; found " + sys.version.split()[0] + ". Install it, or run: make PYTHON=python3.12 ...")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (evalkit)" >/dev/null
	@touch $(STAMP)

.PHONY: env
env: $(STAMP) ## create .venv with the pinned dependencies and evalkit (editable)

.PHONY: run
run: $(STAMP) ## run every notebook on the bundled data and write a report to reports/<run>/ (JOBS=N at once)
	$(BIN)/evalkit run $(if $(JOBS),--jobs $(JOBS)) $(ARGS)

.PHONY: units
units: $(STAMP) ## one offline page per unit for the latest run, into reports/<latest>/units/ (UNITS=A,B JOBS=N)
	$(BIN)/evalkit units $(if $(UNITS),--units "$(UNITS)") $(if $(JOBS),--jobs $(JOBS)) $(ARGS)

.PHONY: test
test: $(STAMP) ## run the whole test suite, nbval re-execution of the notebooks included
	PYTHONHASHSEED=0 $(BIN)/python -m pytest $(PYTEST_NBVAL) --doctest-modules \
		tests notebooks src/evalkit $(ARGS)

.PHONY: lab
lab: $(STAMP) ## open JupyterLab on the project's environment
	$(BIN)/jupyter lab notebooks

.PHONY: reference
reference: $(STAMP) ## re-execute the committed notebooks in place after an intended change (ONLY=01,02)
	$(BIN)/evalkit reference $(if $(ONLY),--only $(ONLY))

.PHONY: data
data: $(STAMP) ## regenerate the bundled simulated city in data/raw from its seed
	$(BIN)/evalkit simulate --preset city --seed 20261127 --out data/raw

.PHONY: benchmarks
benchmarks: $(STAMP) ## run the speed and memory scripts in benchmarks/ (minutes)
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

.PHONY: lock
lock: ## re-pin requirements.lock from pyproject.toml (after changing dependencies)
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet -e '.[test,lab]'
	{ sed -n '1,2p' requirements.lock; .lock-venv/bin/python -m pip freeze --all --exclude-editable | grep -vE '^(evalkit|pip)=='; } > requirements.lock.new
	mv requirements.lock.new requirements.lock && rm -rf .lock-venv

.PHONY: clean
clean: ## delete generated data and reports (data/processed, reports); keeps .venv
	rm -rf data/processed reports .pytest_cache

.PHONY: distclean
distclean: clean ## also delete the environment
	rm -rf $(VENV)

.PHONY: help
help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'
