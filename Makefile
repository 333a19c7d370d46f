# The two commands of the README. Each does its own set-up on a fresh Debian 12.
#   make run    build (release) and start the demo server on 127.0.0.1:8080
#   make test   build with ASan+UBSan and with TSan and run every test (unit, integration, Node end-to-end),
#               then check that the release build (what `make run` starts) compiles, and run the libFuzzer
#               targets briefly (clang; about 20 s each, see test-fuzz)
JOBS ?= $(shell nproc)
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: run test bootstrap build-release build-asan test-asan test-tsan build-tsan build-fuzz test-fuzz update-goldens e2e-deps clean

bootstrap:
	@bash scripts/bootstrap.sh

# The demo's chat page, built with the demo (CMakeLists.txt), compiles with the TypeScript client's tsc: install it
# before any build of the demo, and again only when the client's lock file changes.
CLIENT_TS_MODULES := clients/typescript/node_modules/.package-lock.json
$(CLIENT_TS_MODULES): clients/typescript/package-lock.json | bootstrap
	cd clients/typescript && npm ci --no-audit --no-fund --loglevel=error

build-release: bootstrap $(CLIENT_TS_MODULES)
	cmake --preset release
	cmake --build --preset release -j $(JOBS)

run: build-release
	./build/release/switchboard --host $(HOST) --port $(PORT)

e2e-deps: bootstrap $(CLIENT_TS_MODULES)
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error
	cd tests/codegen-ts && npm ci --no-audit --no-fund --loglevel=error
	cd tests/web && npm ci --no-audit --no-fund --loglevel=error

build-asan: bootstrap $(CLIENT_TS_MODULES)
	cmake --preset asan
	cmake --build --preset asan -j $(JOBS)

build-tsan: bootstrap $(CLIENT_TS_MODULES)
	cmake --preset tsan
	cmake --build --preset tsan -j $(JOBS)

test-asan: build-asan e2e-deps
	ctest --preset asan

test-tsan: build-tsan e2e-deps
	ctest --preset tsan

# libFuzzer (clang): builds only the fuzz targets (no demo, no Asio), then runs each from its seed corpus for a
# bounded time (-runs / -max_total_time=20 per target, see tests/fuzz/CMakeLists.txt and tests/models/).
build-fuzz: bootstrap
	cmake --preset fuzz
	cmake --build --preset fuzz -j $(JOBS)

test-fuzz: build-fuzz
	ctest --preset fuzz

test: test-asan test-tsan build-release test-fuzz

# After an intended change to an emitter (or to the fixture models): regenerate every committed golden file, the
# C++ ones (tests/models/golden/) and the TypeScript ones (tests/codegen-ts/golden/), then review `git diff`.
GOLDEN_PRESET ?= debug
update-goldens: bootstrap
	cmake --preset $(GOLDEN_PRESET)
	cmake --build --preset $(GOLDEN_PRESET) -j $(JOBS) --target switchboard-gen update_model_goldens
	SWITCHBOARD_GEN=$(CURDIR)/build/$(GOLDEN_PRESET)/src/codegen/switchboard-gen node tests/codegen-ts/golden.mjs --update

clean:
	rm -rf build
