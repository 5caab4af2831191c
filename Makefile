# docregsys: `make run` sets everything up and serves on http://127.0.0.1:8000; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
# Debian packages: WeasyPrint's fast font subsetting, PDF tools, the browser for tests (the CJK font is in printing/fonts/).
APT_PACKAGES := libharfbuzz-subset0 poppler-utils chromium gettext docker-compose

.PHONY: setup system-packages venv run serve test test-fast lint messages data bench clean

setup: system-packages venv messages

system-packages:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

messages: venv
	$(MANAGE) compilemessages --ignore=.venv -v 0

data: setup
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) load_reference
	$(MANAGE) load_demo

run: data
	$(MANAGE) runserver 127.0.0.1:8000

test: setup
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

bench: setup
	$(PY) benches/import_exam_results.py --rows 500000

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
