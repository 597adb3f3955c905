# `make run`: install and start the app on the bundled corpus.
# `make test`: install and run the tests (CI runs this through .ci/run).
PYTHON ?= python3
VENV := .venv
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: run test check system testtools
# Debian packages: Tesseract with its Vietnamese model (OCR of scans), antiword (.doc),
# DejaVu fonts (scans rendered for the OCR benchmark).
DEBIAN := tesseract-ocr tesseract-ocr-vie antiword fonts-dejavu-core

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(VENV)/bin/pip install -q -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime system
	$(VENV)/bin/streamlit run app.py

system:
	@dpkg -s $(DEBIAN) >/dev/null 2>&1 || ($(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q $(DEBIAN))

# For the tests only: Chromium (browser tests), nginx (app servers behind a proxy), slapd
# (sign-in against a real LDAP directory), PostgreSQL (accounts shared by several servers).
TESTTOOLS := chromium nginx slapd postgresql

testtools:
	@dpkg -s $(TESTTOOLS) >/dev/null 2>&1 || ($(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(TESTTOOLS))

# Lint, format and type checks (configured in pyproject.toml), then the tests.
check: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .

test: check system testtools
	@$(VENV)/bin/python -m pytest -n 2 --dist loadfile --durations=15; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest: no tests collected"; exit 0; fi; exit $$rc
