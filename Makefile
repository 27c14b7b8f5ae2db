# `make build` and `make test` are all the setup a fresh machine needs.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BUILD_STAMP := $(VENV)/.installed-build
TEST_STAMP := $(VENV)/.installed-test

.PHONY: build test lint fuzz screenshots clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(BUILD_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --editable .
	touch $@

$(TEST_STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --editable '.[test]'
	touch $@ $(BUILD_STAMP)

build: $(BUILD_STAMP)
	$(VENV)/bin/backissue build --site .

test: lint
	bash tools/setup-test-tools.sh
	$(PY) -m pytest

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fuzz: $(TEST_STAMP)
	BACKISSUE_FUZZ_EXAMPLES=5000 $(PY) -m pytest tests/test_fuzz.py -k "not four_times_the_pathological"

screenshots: build
	bash tools/setup-test-tools.sh
	$(PY) tools/screenshots.py

clean:
	rm -rf public .backissue .public.staging* screenshots
