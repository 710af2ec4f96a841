# The two commands of the README. Each creates the virtual environment on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve test build lint clean

# Main job: build the graph from data/sources (if there is no store) and serve it.
serve: $(STAMP)
	$(BIN)/kinerja serve

# The whole test suite, slow end-to-end tests included.
test: $(STAMP)
	$(BIN)/ruff check kinerja server tests bench
	$(BIN)/python -m pytest

build: $(STAMP)
	$(BIN)/kinerja build

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

clean:
	rm -rf $(VENV) var
