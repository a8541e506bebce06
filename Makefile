# Two commands do everything on a fresh machine: `make demo` and `make test`.
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SYSTEM := .tools/.system-installed

.PHONY: install system demo test lint bench clean

install: $(STAMP) $(SYSTEM)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV) || { apt-get update -qq && apt-get install -y -qq python3-venv && python3 -m venv $(VENV); }
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

# Debian packages the integration tests use (knot, nsd, nginx, dig, chromium) and Azurite.
$(SYSTEM): scripts/install-system.sh
	bash scripts/install-system.sh
	mkdir -p .tools && touch $@

# The demo estate holds seeded failures and an unreadable vault, so the audit
# exits 1 (findings) or 3 (gaps) by design; only 2 and above mean it broke.
demo: install
	@$(VENV)/bin/auditor demo; rc=$$?; [ $$rc -eq 0 ] || [ $$rc -eq 1 ] || [ $$rc -eq 3 ] || exit $$rc

test: install
	$(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check auditor tests
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy auditor

bench: install
	$(PY) -m benchmarks.run

clean:
	rm -rf $(VENV) .tools build *.egg-info
