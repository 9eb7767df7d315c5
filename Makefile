# Two commands, each working on a fresh Debian 12 machine (as root):
#   make run    set up, then boot the hello service in QEMU (ARGS="..." is its command line)
#   make test   set up, then run every test (compiler, host-built programs, booted images)
# Setup installs what is missing: QEMU and the C toolchain with apt-get, the Python
# packages with pip into .venv.

PYTHON := .venv/bin/python
APT_PACKAGES := qemu-system-x86 gcc binutils make python3-venv procps iproute2 iputils-ping iputils-arping tshark
SYSTEM_TOOLS := qemu-system-x86_64 gcc ld nm readelf pgrep ip ping arping tshark
ARGS ?=

.PHONY: run test setup system clean

run: setup
	$(PYTHON) -m kaa run examples/hello.py -- $(ARGS)

test: setup
	$(PYTHON) -m pytest -q tests

setup: system .venv/.installed

system:
	@missing=; for t in $(SYSTEM_TOOLS); do command -v $$t >/dev/null || missing=1; done; \
	[ -f /usr/share/qemu/qboot.rom ] || missing=1; \
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
