# Two commands on a fresh machine with Python 3.11:
#   make demo   set up .venv and build the graph of examples/ into out/examples
#   make test   set up .venv and run the test suite
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: demo test lint bench clean

$(STAMP):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: install Python 3.11 or run make PYTHON=python3"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/graphkit build examples --out out/examples
	@echo "open out/examples/graph.html in a browser"

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check graphkit tests examples docs benchmarks
	$(BIN)/ruff format --check graphkit tests examples docs benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/seed_build.py

clean:
	rm -rf $(VENV) out build *.egg-info
