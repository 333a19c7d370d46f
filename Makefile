# The two commands of the README. Each does its own set-up on a fresh Debian 12.
#   make run    build (release) and start the demo server on 127.0.0.1:8080
#   make test   build with ASan+UBSan and with TSan and run every test (unit, integration, Node end-to-end),
#               then check that the release build (what `make run` starts) compiles
JOBS ?= $(shell nproc)
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: run test bootstrap build-release build-asan test-asan test-tsan build-tsan e2e-deps clean

bootstrap:
	@bash scripts/bootstrap.sh

build-release: bootstrap
	cmake --preset release
	cmake --build --preset release -j $(JOBS)

run: build-release
	./build/release/switchboard --host $(HOST) --port $(PORT)

e2e-deps: bootstrap
	cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error
	cd tests/codegen-ts && npm ci --no-audit --no-fund --loglevel=error

build-asan: bootstrap
	cmake --preset asan
	cmake --build --preset asan -j $(JOBS)

build-tsan: bootstrap
	cmake --preset tsan
	cmake --build --preset tsan -j $(JOBS)

test-asan: build-asan e2e-deps
	ctest --preset asan

test-tsan: build-tsan e2e-deps
	ctest --preset tsan

test: test-asan test-tsan build-release

clean:
	rm -rf build
