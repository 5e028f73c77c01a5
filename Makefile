# Two commands for a newcomer: `make demo` and `make test`. Each sets itself up.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_DIR := .demo

.PHONY: demo test setup lint bench validate clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,video,web]"
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	STRIDELAB_DB=sqlite:///$(CURDIR)/$(DEMO_DIR)/stridelab.db $(BIN)/stridelab demo --workdir $(DEMO_DIR)

test: $(STAMP) lint
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_import.py
	$(BIN)/python benchmarks/bench_video.py
	$(BIN)/python benchmarks/bench_web_upload.py

validate: $(STAMP)
	$(BIN)/python benchmarks/validate_video.py
	$(BIN)/python benchmarks/validate_jumps.py --video

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache
