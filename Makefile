# The two commands a fresh machine needs: `make site` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site test lint typecheck unit clean

# Extra arguments for `digest build`, e.g. DIGEST_BUILD_ARGS="--base-url https://u.github.io/r/"
DIGEST_BUILD_ARGS ?=

site: $(VENV)/.installed
	$(BIN)/digest build $(DIGEST_BUILD_ARGS)

test: $(VENV)/.test-installed node_modules/axe-core/axe.min.js
	$(BIN)/ruff check generator tests benchmarks docs
	$(BIN)/ruff format --check generator tests benchmarks docs
	$(BIN)/mypy
	$(BIN)/pytest

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

# axe-core for the accessibility tests (package.json, package-lock.json). Without npm the
# tests that need it are skipped (CI installs npm, and there they must run).
node_modules/axe-core/axe.min.js: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund && touch $@; \
	else \
		echo "npm not found: the accessibility tests will be skipped"; \
	fi

clean:
	rm -rf $(VENV) output .output-* node_modules
