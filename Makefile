# A thin front door. The build is CMake's (CMakeLists.txt), the tests are
# ctest's, the demo is demo/run-demo.sh; this file only strings them together
# for a fresh Debian 12 machine:
#   make demo    install what is missing, build, run the demo
#   make check   install what is missing, build, run every test, and build
#                the Release type too (into build-release/, not tested again)
#   make bench   build the Release type and run bench/run: every bench/bench_*.sh,
#                the table written to docs/PERFORMANCE.md (not part of check)
#   make fuzz    build the libFuzzer binaries with clang into build-fuzz/, then
#                e.g. build-fuzz/tests/fuzz/fuzz_frame -max_total_time=60 tests/fuzz/corpus/frame
#                (docs/fuzz.md; `make check` already replays every corpus)
SHELL := /bin/bash
BUILD_DIR ?= build
BUILD_TYPE ?= Asan
RELEASE_DIR ?= build-release
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

# Debian 12 packages needed to build, test and run the demo.
DEB_PACKAGES := build-essential cmake pkg-config libpq-dev libevent-dev \
	libssl-dev libprotobuf-c-dev protobuf-c-compiler libjansson-dev \
	libcmocka-dev postgresql-15 libxml2-utils jq chromium testssl.sh openssl

# Prerequisites run in the order written (deps before build): the parallelism
# is inside `cmake --build` and ctest.
.NOTPARALLEL:
.PHONY: all deps build build-release check demo bench clean fuzz

all: build

# Installs only what dpkg does not already list as installed. As root apt-get
# runs directly; otherwise through sudo when there is one.
deps:
	@if ! command -v dpkg-query >/dev/null 2>&1; then \
	  echo "deps: no dpkg-query (not Debian?): install the equivalents of: $(DEB_PACKAGES)"; \
	  exit 0; \
	fi; \
	missing=""; \
	for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q 'install ok installed' \
	    || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then echo "deps: all Debian packages present"; exit 0; fi; \
	sudo=""; \
	if [ "$$(id -u)" -ne 0 ]; then \
	  if command -v sudo >/dev/null 2>&1; then sudo=sudo; \
	  else echo "deps: not root and no sudo; as root run: apt-get install -y$$missing" >&2; exit 1; fi; \
	fi; \
	echo "deps: installing$$missing"; \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update && \
	$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing

build:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)
	cmake --build $(BUILD_DIR) -j$(JOBS)

# The optimised build compiles differently (gcc warns about other things at
# -O3), so check builds it as well; the tests run once, in the ASan build.
build-release:
	cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=Release
	cmake --build $(RELEASE_DIR) -j$(JOBS)

# test_conn_idle measures the Release server's memory when it is there.
check: deps build build-release
	cd $(BUILD_DIR) && HZ_SERVER_RELEASE=$(abspath $(RELEASE_DIR))/huizongd ctest --output-on-failure -j2

demo: deps build
	HZ_BUILD=$(BUILD_DIR) ASAN_OPTIONS=detect_leaks=1 demo/run-demo.sh

bench: deps build-release
	HZ_BUILD=$(RELEASE_DIR) bench/run

# Real fuzzing needs clang's libFuzzer (Debian: clang); see docs/fuzz.md.
fuzz:
	cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DHZ_FUZZ=ON -DCMAKE_BUILD_TYPE=Asan
	cmake --build build-fuzz -j2
	@echo "run e.g.: build-fuzz/tests/fuzz/fuzz_frame -max_total_time=60 tests/fuzz/corpus/frame"

clean:
	rm -rf $(BUILD_DIR) $(RELEASE_DIR) build-fuzz demo/run
