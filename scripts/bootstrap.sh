#!/usr/bin/env bash
# Installs what building and testing Switchboard needs on Debian 12, and nothing more.
# Safe to run again: it only calls apt-get when a package is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost-dev libboost-program-options-dev
  libsimdjson-dev libfmt-dev libyaml-cpp-dev libgtest-dev libgmock-dev
  # make test-fuzz: clang and libFuzzer's runtime. libclang-rt-14-dev (libclang_rt.fuzzer, asan, ubsan) is only
  # a Recommends of clang 14, and recommends are not installed below.
  clang libclang-rt-14-dev
  # The browser test of the demo chat page (tests/web) drives Debian's Chromium; it never downloads a browser.
  chromium
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# Node.js and npm run the end-to-end and TypeScript tests. A machine may already have them from elsewhere (e.g.
# NodeSource's nodejs, which bundles npm and conflicts with Debian's npm package), so look for the commands.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# -fsanitize=fuzzer links this archive; without it clang fails at link time with a less helpful message.
fuzzer_rt=$(clang++ -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null || true)
if [ "$(uname -m)" = x86_64 ] && [ ! -f "$fuzzer_rt" ]; then
  echo "bootstrap: libFuzzer runtime (libclang_rt.fuzzer-x86_64.a) not found; is libclang-rt-14-dev installed?" >&2
  exit 1
fi
