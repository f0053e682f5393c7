# Verbinding: set-up, tests, runs and benchmark. Every target installs what it needs.
VENV  := .venv
BIN   := $(VENV)/bin
STAMP := $(VENV)/.installed

# The first Python >= 3.12 that runs. On machines with pyenv, python3.12 on PATH can be a
# shim that fails unless selected, so the interpreters under pyenv's root are tried too.
# The one found is taken by its real path: from an activated .venv, "python3.12" is the
# .venv's own, which the install deletes before making it anew.
PYTHON_CANDIDATES := python3.12 python3.13 \
	$(wildcard $(shell pyenv root 2>/dev/null)/versions/3.12.*/bin/python3.12) \
	$(wildcard $(shell pyenv root 2>/dev/null)/versions/3.13.*/bin/python3.13) \
	python3 python

.PHONY: install test run bench bench-app bench-class docs lint clean app browser

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@set -e; found=""; \
	probe='import os, sys; assert sys.version_info >= (3, 12); print(os.path.realpath(sys.executable))'; \
	for c in $(PYTHON_CANDIDATES); do \
	  if real=$$("$$c" -c "$$probe" 2>/dev/null); then \
	    found="$$real"; break; fi; \
	done; \
	if [ -z "$$found" ]; then echo "make: no Python >= 3.12 found (tried: $(PYTHON_CANDIDATES))" >&2; exit 1; fi; \
	echo "using $$found ($$("$$found" --version))"; \
	rm -rf $(VENV); "$$found" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt \
		-e '.[dev,cluster,app,browser]'
	$(BIN)/python -m ui.assets   # Solara's page assets from npm: no CDN needed
	$(BIN)/python -c 'from model.kernels import warm_up; warm_up()'  # compile the weekly passes once
	@touch $(STAMP)

# Debian's Chromium for the browser tests (needs root, as in CI; skipped tests otherwise).
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq chromium) \
		|| echo "make: could not install chromium (not root?); the browser tests will be skipped"

# Where `make app` listens: localhost, or 0.0.0.0 for a class whose phones join over the
# local network (`make app HOST=0.0.0.0`).
HOST ?= localhost

app: install
	$(BIN)/python -m ui.serve --host $(HOST) --port 8765

test: install browser
	$(BIN)/ruff check model experiments ui tests app.py
	$(BIN)/verbinding docs --check
	$(BIN)/python -m pytest

run: install
	$(BIN)/verbinding run care --replicates 10 --seed 1

bench: install
	$(BIN)/verbinding bench --sweep --small

bench-app: install browser
	$(BIN)/python -m ui.bench

bench-class: install browser
	$(BIN)/python -m ui.bench --class

docs: install
	$(BIN)/verbinding docs

lint: install
	$(BIN)/ruff check model experiments ui tests app.py
	$(BIN)/ruff format --check model experiments tests

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
