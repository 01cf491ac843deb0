# Two commands for a fresh machine: `make demo` and `make test`.
# Both create .venv and install the project into it first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# pywb (replay) and wacz (WACZ validation) live in a virtual environment of their
# own: pywb pins a redis client too old for scrapy-redis. `newsarchive replay`
# finds it beside .venv (or through NEWSARCHIVE_PYWB).
PYWB_VENV  := .venv-pywb
PYWB_STAMP := $(PYWB_VENV)/.installed-stamp
PYWB_REQUIREMENTS := requirements-pywb.txt

.PHONY: demo test lint install pywb redis chromium clean

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "newsarchive needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,demo]'
	touch $(STAMP)

$(PYWB_STAMP): $(PYWB_REQUIREMENTS)
	$(PYTHON) -m venv $(PYWB_VENV)
	$(PYWB_VENV)/bin/pip install --quiet --upgrade pip
	$(PYWB_VENV)/bin/pip install --quiet -r $(PYWB_REQUIREMENTS)
	touch $(PYWB_STAMP)

install: $(STAMP)

pywb: $(PYWB_STAMP)

demo: $(STAMP)
	$(BIN)/newsarchive demo

lint: $(STAMP)
	$(BIN)/ruff check .

# Distributed crawls are tested against a real Redis: Debian's redis-server (the tests
# start their own on 127.0.0.1; installing the package starts none here).
redis:
	@command -v redis-server >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get install -y -q redis-server >/dev/null 2>&1 || \
	  { $$SUDO apt-get update -q >/dev/null && $$SUDO apt-get install -y -q redis-server >/dev/null; }; }
	@command -v redis-server >/dev/null || { echo "redis-server is needed by the tests: apt-get install redis-server" >&2; exit 1; }

# The dashboard is tested in a real headless browser: Debian's chromium, driven through
# chromium-driver by Selenium (browser downloads by Playwright or Puppeteer do not work
# here).
chromium:
	@{ command -v chromium && command -v chromedriver; } >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get install -y -q chromium chromium-driver >/dev/null 2>&1 || \
	  { $$SUDO apt-get update -q >/dev/null && \
	    $$SUDO apt-get install -y -q chromium chromium-driver >/dev/null; }; }
	@{ command -v chromium && command -v chromedriver; } >/dev/null || \
	  { echo "the tests need chromium: apt-get install chromium chromium-driver" >&2; exit 1; }

test: lint redis chromium $(PYWB_STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(PYWB_VENV) archive-data .pytest_cache .ruff_cache *.egg-info
