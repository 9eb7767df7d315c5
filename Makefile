# Two commands, each working on a fresh Debian 12 machine (as root):
#   make run    set up, then boot the HTTP hello service: http://127.0.0.1:8080/ (Ctrl-C stops it)
#   make hello  set up, then boot examples/hello.py (prints and exits)
#   make test   set up, then run every test (compiler, host-built programs, booted images)
# Setup installs what is missing: QEMU and the C toolchain with apt-get, the Python
# packages with pip into .venv.

PYTHON := .venv/bin/python
APT_PACKAGES := qemu-system-x86 gcc libc6-dev binutils make python3-venv procps iproute2 iputils-ping iputils-arping tshark \
	curl wrk apache2-utils e2fsprogs gdb openssl
SYSTEM_TOOLS := qemu-system-x86_64 gcc ld nm readelf pgrep ip ping arping tshark curl wrk ab mke2fs gdb openssl
ARGS ?=
PORT ?= 8080

.PHONY: run items hello test bench setup system clean

run: setup
	@echo "Serving http://127.0.0.1:$(PORT)/ (try: curl http://127.0.0.1:$(PORT)/); Ctrl-C stops it"
	$(PYTHON) -m kaa run examples/http_hello.py -p $(PORT):80 -- $(ARGS)

items: setup
	@echo "Serving the item store on http://127.0.0.1:$(PORT)/items (try: curl -d '{\"name\": \"tea\", \"price\": 2.5}' http://127.0.0.1:$(PORT)/items); Ctrl-C stops it"
	$(PYTHON) -m kaa run examples/items.py -p $(PORT):8080 -- $(ARGS)

hello: setup
	$(PYTHON) -m kaa run examples/hello.py -- $(ARGS)

test: setup
	$(PYTHON) -m pytest -q --durations=25 tests

bench: setup
	$(PYTHON) -m pip install -q --disable-pip-version-check -e '.[bench]'
	$(PYTHON) -m kaa bench all --report

setup: system .venv/.installed

system:
	@missing=; for t in $(SYSTEM_TOOLS); do command -v $$t >/dev/null || missing=1; done; \
	[ -f /usr/share/qemu/qboot.rom ] || missing=1; \
	[ -f /usr/lib/x86_64-linux-gnu/libc.a ] || missing=1; \
	if [ -n "$$missing" ]; then \
		echo "installing $(APT_PACKAGES)"; \
		echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	fi

.venv/.installed: pyproject.toml
	python3 -m venv .venv || { rm -rf .venv; apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; python3 -m venv .venv; }
	$(PYTHON) -m pip install -q --disable-pip-version-check -e '.[test]'
	touch $@

clean:
	rm -rf .venv build
