# Two commands do all the set-up on a fresh Debian machine (see README):
#   make build   installs what the program needs and builds the sample site and PDFs
#   make test    installs what the tests need and runs them (after `make lint`: ruff and mypy)
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

# Debian packages: CJK fonts and HarfBuzz subsetting for the PDFs; PDF and browser tools for the tests.
RUNTIME_DEBS = fonts-noto-cjk fonts-lxgw-wenkai libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0
TEST_DEBS    = poppler-utils mupdf-tools chromium libreoffice-calc-nogui

.PHONY: build test lint install install-test system-deps system-deps-test clean

build: install
	$(BIN)/branchbook build

# The linter and the type checker first (their settings are in pyproject.toml), then the tests.
test: lint
	$(BIN)/python -m pytest

lint: install-test
	$(BIN)/ruff check generator tests scripts bench
	$(BIN)/mypy

install: system-deps $(BIN)/branchbook
install-test: system-deps-test $(VENV)/.test-installed

$(BIN)/branchbook: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: $(BIN)/branchbook
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

# Install the missing ones only; say in Chinese what to do when we cannot.
define install_debs
	@missing=""; for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo=sudo; \
	  else echo "缺少系统软件包：$${missing# }；请以 root 身份运行：apt-get install$$missing" >&2; exit 1; fi; \
	  echo "正在安装系统软件包：$${missing# }"; \
	  $$sudo apt-get update -qq >/dev/null && \
	  DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing >/dev/null \
	  || { echo "安装系统软件包失败：$${missing# }；请手动运行：apt-get install$$missing" >&2; exit 1; }; \
	fi
endef

system-deps:
	$(call install_debs,$(RUNTIME_DEBS))

system-deps-test: system-deps
	$(call install_debs,$(TEST_DEBS))

clean:
	rm -rf $(VENV) site .branchbook
