# lsm — build, install, test and lint. `make help` lists the targets.
#
# Needs Swift 6 on PATH; `make deps` installs the system libraries (libgit2, pkg-config) when missing.

SWIFT ?= swift

# Install to /usr/local as root, else to ~/.local (no sudo needed; ~/.local/bin is on PATH on most systems).
ifeq ($(shell id -u),0)
PREFIX ?= /usr/local
else
PREFIX ?= $(HOME)/.local
endif
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man

MANPAGE := docs/git-lsm.1
# The release build links Swift's runtime and Foundation statically: a short command (status,
# statusline, log) then starts in a third of the dynamic loader's time. Static Foundation links
# libcurl (FoundationNetworking, which the MCP SDK imports), hence libcurl4-openssl-dev in `deps`.
RELEASE := -c release --static-swift-stdlib
SYSTEM_PACKAGES := libgit2-dev libcurl4-openssl-dev pkg-config
SWIFT_FORMAT_PATHS := Sources Tests Package.swift

# The suites `make test` runs, in order. Later suites (end-to-end, real clients, browser, PostgreSQL)
# add a `test-<name>` target below and append it here.
TEST_SUITES := test-swift test-totals test-mcp test-browser test-server test-conformance

.DEFAULT_GOAL := build

# PyJWT, the independent maker of the forged tokens of `make test-server`, and Python's websockets, its
# room client, in a venv under the build folder.
SERVER_VENV := .build/server-venv
SERVER_CLIENT := PyJWT==2.10.1 websockets==17.4

# kosoku, which runs the Autobahn|Testsuite cases of `make test-conformance`, in a venv under the build folder.
CONFORMANCE_VENV := .build/conformance-venv
CONFORMANCE_CLIENT := kosoku==0.1.0

# The official Python MCP SDK, the real client of `make test-mcp`, in a venv under the build folder.
MCP_VENV := .build/mcp-venv
MCP_CLIENT := mcp==2.3.0

.PHONY: help deps test-deps mcp-client server-client conformance-client build install uninstall test $(TEST_SUITES) lint format man bench clean

# help: list the targets.
help:
	@echo "make install    build a release and install lsm, git-lsm and the man page under $(PREFIX)"
	@echo "make uninstall  remove what make install put there"
	@echo "make build      release build"
	@echo "make test       every test suite: $(TEST_SUITES)"
	@echo "make lint       swift format lint --strict and the layer import rules"
	@echo "make format     reformat Sources, Tests and Package.swift in place"
	@echo "make man        regenerate $(MANPAGE) from the commands"
	@echo "make bench      run the benchmarks"
	@echo "make deps       install $(SYSTEM_PACKAGES) when missing"
	@echo "make clean      remove build products"

# deps: make sure the system libraries the build links against are there (installs them when root).
deps:
	@command -v $(SWIFT) >/dev/null 2>&1 || { echo "error: swift not found; install Swift 6 and put its usr/bin on PATH"; exit 1; }
	@if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists libgit2 libcurl; then \
		exit 0; \
	elif [ "$$(id -u)" -eq 0 ]; then \
		echo "installing $(SYSTEM_PACKAGES)"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update && apt-get install -y --no-install-recommends $(SYSTEM_PACKAGES); \
	else \
		echo "run: sudo apt-get install $(SYSTEM_PACKAGES)"; \
		exit 1; \
	fi

# build: an optimized build of the lsm executable alone (`--product lsm` skips LsmTestSupport).
build: deps
	$(SWIFT) build $(RELEASE) --product lsm

# install: the release binary as lsm, git-lsm beside it (so `git lsm` finds it), and git-lsm(1).
install: build
	@bin="$$($(SWIFT) build $(RELEASE) --show-bin-path)" && \
	install -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MANDIR)/man1" && \
	install -m 0755 "$$bin/lsm" "$(DESTDIR)$(BINDIR)/lsm" && \
	ln -sf lsm "$(DESTDIR)$(BINDIR)/git-lsm" && \
	install -m 0644 $(MANPAGE) "$(DESTDIR)$(MANDIR)/man1/git-lsm.1" && \
	echo "installed $(BINDIR)/lsm, $(BINDIR)/git-lsm and $(MANDIR)/man1/git-lsm.1"
	@case ":$$PATH:" in \
		*":$(BINDIR):"*) ;; \
		*) echo "hint: $(BINDIR) is not on PATH; add it (e.g. in ~/.profile): export PATH=\"$(BINDIR):\$$PATH\"" ;; \
	esac

# uninstall: remove what install put in place.
uninstall:
	rm -f "$(DESTDIR)$(BINDIR)/lsm" "$(DESTDIR)$(BINDIR)/git-lsm" "$(DESTDIR)$(MANDIR)/man1/git-lsm.1"

# test: every suite in TEST_SUITES.
test: $(TEST_SUITES)

# test-swift: the Swift Testing suites. The debug build comes first so tests that spawn the built
# `lsm` executable find it.
test-swift: deps test-deps
	$(SWIFT) build
	$(SWIFT) test

# test-deps: programs the tests run as a user would: man (for `git lsm --help`), sqlite3, tmux
# (a real terminal for the dashboard), Python's venv (for the MCP client of test-mcp), and for the
# browser suite Chromium, its WebDriver and a colour emoji font (reactions in screenshots), and
# PostgreSQL (Debian's postgresql, 15 on bookworm) for the room store and multi-node server tests,
# which start their own server on a temporary data directory.
test-deps:
	@missing=""; \
	command -v man >/dev/null 2>&1 || missing="$$missing man-db"; \
	python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing="$$missing python3-venv"; \
	command -v sqlite3 >/dev/null 2>&1 || missing="$$missing sqlite3"; \
	command -v tmux >/dev/null 2>&1 || missing="$$missing tmux"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v chromedriver >/dev/null 2>&1 || missing="$$missing chromium-driver"; \
	fc-list 2>/dev/null | grep -qi 'color emoji' || missing="$$missing fonts-noto-color-emoji"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" -eq 0 ]; then \
		echo "installing$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update && apt-get install -y --no-install-recommends $$missing; \
	else \
		echo "run: sudo apt-get install$$missing"; \
		exit 1; \
	fi

# test-browser: the review room in headless Chromium (Tests/Browser, scripts/test-browser.sh):
# two people join by invite, chat, see cursors, comment, react, resolve, survive a server restart;
# screenshots of each state go to .build/browser-artifacts.
test-browser: deps test-deps
	$(SWIFT) build --product lsm
	scripts/test-browser.sh "$$($(SWIFT) build --show-bin-path)/lsm"

# test-totals: lsm's token totals equal an independent computation (scripts/bench/reference_totals.py)
# on the real fixtures and a small generated corpus: cold, grown, unchanged and rebuilt.
test-totals: deps
	$(SWIFT) build --product lsm
	python3 scripts/bench/check_totals.py "$$($(SWIFT) build --show-bin-path)/lsm"

# mcp-client: the official Python MCP SDK in $(MCP_VENV), installed from PyPI once.
mcp-client: test-deps
	@if ! $(MCP_VENV)/bin/python -c 'import mcp' >/dev/null 2>&1; then \
		python3 -m venv $(MCP_VENV) && $(MCP_VENV)/bin/pip install --quiet --disable-pip-version-check '$(MCP_CLIENT)'; \
	fi

# test-mcp: `git lsm mcp` driven over stdio by a real client (the Python SDK): every tool, resource
# and prompt, valid and bad input, compared with the CLI's --json (Tests/MCPClientTests).
test-mcp: deps mcp-client
	$(SWIFT) build --product lsm
	$(MCP_VENV)/bin/python Tests/MCPClientTests/real_client_test.py "$$($(SWIFT) build --show-bin-path)/lsm"

# server-client: PyJWT and websockets in $(SERVER_VENV), installed from PyPI once.
server-client: test-deps
	@if ! $(SERVER_VENV)/bin/python -c 'import jwt, websockets' >/dev/null 2>&1; then \
		python3 -m venv $(SERVER_VENV) && $(SERVER_VENV)/bin/pip install --quiet --disable-pip-version-check $(SERVER_CLIENT); \
	fi

# test-server: JWT attacks on a real `git lsm serve` with tokens made by PyJWT (alg none, another key,
# expired, another room, an invite or a refresh token as access token: 401; Tests/ServerSecurity), and
# the room protocol from Python's websockets: browser-style login, resume with lastSeq, kill -9 and
# restart (Tests/ServerClients).
test-server: deps server-client
	$(SWIFT) build --product lsm
	$(SERVER_VENV)/bin/python Tests/ServerSecurity/jwt_attacks_test.py "$$($(SWIFT) build --show-bin-path)/lsm"
	$(SERVER_VENV)/bin/python Tests/ServerClients/websockets_resume_test.py "$$($(SWIFT) build --show-bin-path)/lsm"

# conformance-client: kosoku in $(CONFORMANCE_VENV), installed from PyPI once.
conformance-client: test-deps
	@if ! $(CONFORMANCE_VENV)/bin/python -c 'import kosoku' >/dev/null 2>&1; then \
		python3 -m venv $(CONFORMANCE_VENV) && $(CONFORMANCE_VENV)/bin/pip install --quiet --disable-pip-version-check '$(CONFORMANCE_CLIENT)'; \
	fi

# test-conformance: the Autobahn|Testsuite cases (all but compression, 12.* and 13.*) run by kosoku
# against a real `git lsm serve`, with a token from a real invite (Tests/ServerConformance): every
# case passes on the room endpoint in echo mode (messages over the 64 KiB limit: 1009, listed), and
# every case that needs no echo passes on the room protocol itself.
test-conformance: deps conformance-client
	$(SWIFT) build --product lsm
	$(CONFORMANCE_VENV)/bin/python Tests/ServerConformance/kosoku_conformance_test.py "$$($(SWIFT) build --show-bin-path)/lsm"

# lint: formatting (swift format, strict) and the layer import rules; reports both before failing.
lint:
	@status=0; \
	$(SWIFT) format lint --strict --recursive $(SWIFT_FORMAT_PATHS) || status=1; \
	scripts/check-imports.sh || status=1; \
	exit $$status

# format: apply swift format to the sources in place.
format:
	$(SWIFT) format --in-place --recursive $(SWIFT_FORMAT_PATHS)

# man: regenerate the man page from the command tree (a test fails when it is stale).
man: deps
	$(SWIFT) run -q lsm generate-manual > $(MANPAGE).tmp
	mv $(MANPAGE).tmp $(MANPAGE)

# bench: the benchmarks of docs/benchmarks.md, with the peers measured in the same run
# (BENCH_ARGS=--quick for a 64 MiB trial that leaves docs/benchmarks.md alone).
bench: deps
	bash scripts/bench.sh $(BENCH_ARGS)

# clean: remove build products (keeps downloaded package checkouts).
clean:
	$(SWIFT) package clean
	rm -f $(MANPAGE).tmp
