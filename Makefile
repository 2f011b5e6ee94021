# A thin front door. The build is CMake's (CMakeLists.txt), the tests are
# ctest's, the demo is demo/run-demo.sh; this file only strings them together
# for a fresh Debian 12 machine:
#   make demo    install what is missing, build, run the demo
#   make check   install what is missing, build, run every test, and build
#                the Release type too (into build-release/, not tested again)
#   make deb     build the Debian packages huizong-server and huizong-client
#                (dpkg-buildpackage -b -us -uc on a copy of the tree in
#                build-deb/src; the .debs land in build-deb/, the tree stays clean)
#   make bench   build the Release type and run bench/run: every bench/bench_*.sh,
#                the table written to docs/PERFORMANCE.md (not part of check)
#   make po      merge the strings of the sources into po/zh_CN.po (msgmerge);
#                translate what it leaves empty or fuzzy (tests/README.md)
#   make fuzz    build the libFuzzer binaries with clang into build-fuzz/, then
#                e.g. build-fuzz/tests/fuzz/fuzz_frame -max_total_time=60 tests/fuzz/corpus/frame
#                (docs/fuzz.md; `make check` already replays every corpus)
SHELL := /bin/bash
BUILD_DIR ?= build
BUILD_TYPE ?= Asan
RELEASE_DIR ?= build-release
DEBUG_DIR ?= build-debug
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

DEB_DIR ?= build-deb

# Debian 12 packages needed to build and run the demo (make demo; the build
# compiles the tests too, hence cmocka; office files: libzip, libxml2 and
# libxlsxwriter)...
DEB_PACKAGES := build-essential cmake pkg-config libpq-dev libevent-dev \
	libssl-dev libprotobuf-c-dev protobuf-c-compiler libjansson-dev \
	libsystemd-dev libcmocka-dev postgresql-15 gettext \
	libzip-dev libxml2-dev libxlsxwriter-dev
# ...to build the Debian packages (make deb)...
DEB_PACKAGING_PACKAGES := debhelper
# ...and those only the tests need (make check): JSON checks, ADX schema
# validation, the HTML report rendered headless, the TLS scan and the openssl
# command (fingerprints, s_client, s_server; make bench too), promtool for
# the metrics, the packages' checks (lintian; systemd-analyze is in systemd),
# a zh_CN locale, the office files opened as an office would (LibreOffice
# headless, poppler-utils, unzip; fonts-noto-cjk for Chinese glyphs and
# fonts-dejavu-core as the font without them), and the cluster of deploy/
# (HAProxy, Patroni with its python3 deps from Debian, etcd server and etcdctl).
DEB_TEST_PACKAGES := jq libxml2-utils chromium testssl.sh openssl prometheus lintian systemd locales \
	libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils fonts-noto-cjk fonts-dejavu-core unzip \
	haproxy patroni etcd-server etcd-client

# Prerequisites run in the order written (deps before build): the parallelism
# is inside `cmake --build` and ctest.
.NOTPARALLEL:
.PHONY: all deps deps-deb deps-test build build-release build-debug check demo deb deb-packages bench clean fuzz po

all: build

# Installs only what dpkg does not already list as installed, never the
# recommended packages. As root apt-get runs directly; otherwise through sudo
# when there is one.
deps: PACKAGES = $(DEB_PACKAGES)
deps-deb: PACKAGES = $(DEB_PACKAGES) $(DEB_PACKAGING_PACKAGES)
deps-test: PACKAGES = $(DEB_PACKAGES) $(DEB_PACKAGING_PACKAGES) $(DEB_TEST_PACKAGES)
deps deps-deb deps-test:
	@if ! command -v dpkg-query >/dev/null 2>&1; then \
	  echo "deps: no dpkg-query (not Debian?): install the equivalents of: $(PACKAGES)"; \
	  exit 0; \
	fi; \
	missing=""; \
	for p in $(PACKAGES); do \
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

# -O0 warns about yet other things (format truncation it cannot prove safe).
build-debug:
	cmake -S . -B $(DEBUG_DIR) -DCMAKE_BUILD_TYPE=Debug
	cmake --build $(DEBUG_DIR) -j$(JOBS)

# The packages are built once, before the tests, which unpack and check them
# (integration.package reads $(DEB_DIR)); test_conn_idle measures the Release
# server's memory when it is there.
check: deps-test build build-release build-debug deb-packages
	cd $(BUILD_DIR) && HZ_DEB_DIR=$(abspath $(DEB_DIR)) HZ_SERVER_RELEASE=$(abspath $(RELEASE_DIR))/huizongd \
	  ctest --output-on-failure -j2

demo: deps build
	HZ_BUILD=$(BUILD_DIR) ASAN_OPTIONS=detect_leaks=1 demo/run-demo.sh

# On a copy of the tree (the files git tracks or would track), so that
# dpkg-buildpackage's build folders and debian/ outputs stay out of it;
# the package build configures its own CMake folder without the tests.
deb: deps-deb deb-packages
deb-packages:
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/src
	if git rev-parse --git-dir >/dev/null 2>&1; then \
	  git ls-files -z --cached --others --exclude-standard | \
	    xargs -0 tar -cf - --no-recursion | tar -xf - -C $(DEB_DIR)/src; \
	else \
	  tar -cf - --exclude='./build*' --exclude=./demo/run . | tar -xf - -C $(DEB_DIR)/src; \
	fi
	cd $(DEB_DIR)/src && dpkg-buildpackage -b -us -uc -j$(JOBS)
	rm -rf $(DEB_DIR)/src
	@ls $(DEB_DIR)/*.deb

bench: deps-test build-release
	HZ_BUILD=$(RELEASE_DIR) bench/run

# The catalog follows the sources: new strings arrive empty, changed ones fuzzy.
po:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)
	cmake --build $(BUILD_DIR) --target po-update

# Real fuzzing needs clang's libFuzzer (Debian: clang); see docs/fuzz.md.
fuzz:
	cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DHZ_FUZZ=ON -DCMAKE_BUILD_TYPE=Asan
	cmake --build build-fuzz -j2
	@echo "run e.g.: build-fuzz/tests/fuzz/fuzz_frame -max_total_time=60 tests/fuzz/corpus/frame"

clean:
	rm -rf $(BUILD_DIR) $(RELEASE_DIR) $(DEBUG_DIR) $(DEB_DIR) build-fuzz demo/run
