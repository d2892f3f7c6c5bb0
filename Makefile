# Two commands on a fresh machine:  `make demo`  (install, build the data, answer a question)
#                                   `make test`  (the test suite, against the sources mirror)
SOURCES ?= ../shared/geodata
PYTHON ?= python3

.PHONY: install data demo test lint bench bench-map screenshot assets knowledge

install:
	$(PYTHON) -m pip install --quiet -e '.[dev]'

# refresh the Leaflet files the package ships (tracker/maps/assets) from the locked npm packages
assets:
	npm ci --prefix js --no-audit --no-fund --loglevel=error
	$(PYTHON) js/vendor.py

data:
	tracker data build --sources $(SOURCES)

demo: install data
	tracker where Novoheorhiivka --oblast Dnipropetrovsk --limit 3
	tracker where Zorya --context "the village of Zorya in the nearby Donetsk region" --limit 2
	tracker where 47.85349,36.53318

test:
	TRACKER_SOURCES=$(SOURCES) $(PYTHON) -m pytest

lint:
	ruff check . && ruff format --check . && mypy

bench:
	$(PYTHON) bench/bench.py
	$(PYTHON) bench/bench_speed.py

screenshot:
	$(PYTHON) docs/screenshot.py

bench-map:
	$(PYTHON) bench/bench_map.py

# what ships derived from the knowledge files (tracker/knowledge/claims/trigger_prefixes.json);
# a test fails until it is remade after an edit of knowledge/claims/triggers.toml
knowledge:
	$(PYTHON) -c "from tracker.claims.triggers import PREFIXES_FILE, prefixes_file_text; import pathlib; pathlib.Path('tracker/knowledge', PREFIXES_FILE).write_text(prefixes_file_text(), encoding='utf-8')"
