# Two set-up-and-go targets: `make run` (Emmen baseline) and `make test`.
# Each creates .venv with a Python >= 3.12 and installs the project into it.
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; \
	done)
VENV := .venv
BIN := $(VENV)/bin
SEED ?= 1
OUT ?= results/baseline

.PHONY: run test venv clean

$(BIN)/socialsim: pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: Python >= 3.12 not found (set PYTHON=/path/to/python3.12)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m simulation.dashboard.assets || echo "warning: the dashboard's browser files were not stored; it needs internet until they are"
	@touch $@

venv: $(BIN)/socialsim

run: venv
	$(BIN)/socialsim run baseline --seed $(SEED) --out $(OUT) --overwrite

test: venv
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) results
