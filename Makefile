# newsdesk developer and user tasks. Everything installs into a local virtual environment (.venv).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO := out/demo

.PHONY: install install-dev demo test bench lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

## install: the default pipeline into .venv
install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

## demo: install, ingest the bundled sample corpus, and print where the output is
demo: install
	rm -rf $(DEMO) && mkdir -p $(DEMO)
	$(BIN)/newsdesk ingest examples/corpus --db $(DEMO)/newsdesk.db --offline --quiet
	$(BIN)/newsdesk articles --db $(DEMO)/newsdesk.db
	$(BIN)/newsdesk articles --db $(DEMO)/newsdesk.db --format json > $(DEMO)/articles.json
	@echo
	$(BIN)/newsdesk relations --db $(DEMO)/newsdesk.db
	$(BIN)/newsdesk relations --db $(DEMO)/newsdesk.db --format json > $(DEMO)/relations.json
	@echo
	$(BIN)/newsdesk stories --db $(DEMO)/newsdesk.db
	$(BIN)/newsdesk stories --db $(DEMO)/newsdesk.db --format json > $(DEMO)/stories.json
	mkdir -p $(DEMO)/stories
	for id in $$($(BIN)/newsdesk stories --db $(DEMO)/newsdesk.db | cut -d' ' -f1); do \
		$(BIN)/newsdesk story $$id --db $(DEMO)/newsdesk.db > $(DEMO)/stories/$$id.md; \
		$(BIN)/newsdesk story $$id --db $(DEMO)/newsdesk.db --format json > $(DEMO)/stories/$$id.json; \
	done
	@echo
	@echo "Demo output:"
	@echo "  store:    $(DEMO)/newsdesk.db   (try: $(BIN)/newsdesk article ID --db $(DEMO)/newsdesk.db)"
	@echo "  articles: $(DEMO)/articles.json"
	@echo "  relations (copies, rewrites, summaries, digests): $(DEMO)/relations.json"
	@echo "  stories:  $(DEMO)/stories.json and one page per story in $(DEMO)/stories/ (Markdown and JSON)"
	$(BIN)/newsdesk build --db $(DEMO)/newsdesk.db --out $(DEMO)/site --quiet
	@echo "  site:     $(DEMO)/site (static pages, story JSON, Atom feeds); serve it with:"
	@echo "            $(BIN)/python -m http.server -d $(DEMO)/site 8000   (then open http://127.0.0.1:8000/)"
	@echo "  or the web app and JSON API over the store: $(BIN)/newsdesk serve --db $(DEMO)/newsdesk.db"

## test: install with the development tools, start a PostgreSQL server on 127.0.0.1, run the whole suite
test: install-dev
	scripts/ensure-chromium
	scripts/pg-test-server start
	NEWSDESK_TEST_PG=$$(scripts/pg-test-server url) $(BIN)/pytest; status=$$?; scripts/pg-test-server stop; exit $$status

## bench: quality and speed on the real benchmark data in ../shared/bench
bench: install-dev
	$(BIN)/pip install --quiet -e '.[dev,embed,bench]'
	$(BIN)/python bench/extract_aeb.py --write docs/benchmarks.md
	$(BIN)/python bench/relate.py --write docs/benchmarks.md
	$(BIN)/python bench/group.py --embed --write docs/benchmarks.md
	$(BIN)/python bench/write.py --write docs/benchmarks.md
	$(BIN)/python bench/serve.py --write docs/benchmarks.md
	$(BIN)/python bench/timeline.py --write docs/benchmarks.md
	$(BIN)/python bench/temporal.py --write docs/benchmarks.md
	$(BIN)/python bench/hostile.py --write docs/benchmarks.md
	$(BIN)/python bench/stream.py --write docs/benchmarks.md
	$(BIN)/python bench/summaries.py --write docs/benchmarks.md

## lint: ruff (lint and format check) and mypy
lint: install-dev
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff format src tests bench scripts
	$(BIN)/ruff check --fix src tests bench scripts

clean:
	rm -rf out .pytest_cache .mypy_cache .ruff_cache test-artifacts
