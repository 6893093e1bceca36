#!/usr/bin/env bash
# The whole test suite: the gates and every test, after installing what
# this machine lacks (scripts/install-test-deps.sh). CI runs exactly this
# (.ci/run calls it).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "what the tests need"
scripts/install-test-deps.sh

step "format"
cargo fmt --all -- --check

step "clippy (-D warnings)"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p envelope-core --all-targets --features rustcrypto-aes -- -D warnings
cargo clippy -p envelope-wasm --target wasm32-unknown-unknown -- -D warnings

step "rustdoc (-D warnings)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps

step "envelope-core builds for wasm32 without an RNG"
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  cargo build -p envelope-core --no-default-features --target wasm32-unknown-unknown
  if cargo tree -p envelope-core --no-default-features --target wasm32-unknown-unknown -e normal \
      | grep -E 'getrandom|rand_core'; then
    echo "error: the open path pulls in a random number generator" >&2
    exit 1
  fi
else
  echo "error: the wasm32-unknown-unknown target is missing: rustup target add wasm32-unknown-unknown" >&2
  exit 1
fi

step "the decryptor rebuilds byte-identical (reproducible build)"
cargo xtask build-decryptor --check

step "fuzz smoke run (${FUZZ_SECONDS:=20} s per target)"
if cargo +nightly --version >/dev/null 2>&1 && cargo +nightly fuzz --version >/dev/null 2>&1; then
  # One build for the five targets, without AddressSanitizer (the code they
  # reach is safe Rust; a sanitizer build of the page targets' dependencies
  # would double the build and make replaying the kept corpora (fuzz/corpus/)
  # several times slower). Long runs: fuzz/README.md.
  # New inputs go to a scratch corpus under target/ (the first folder
  # libFuzzer is given); the committed corpus is only read.
  for target in parse_header open_envelope read_page verify_page attachment_text; do
    scratch="../target/fuzz-scratch/$target"
    mkdir -p "fuzz/$scratch"
    corpora=("$scratch")
    [ -d "fuzz/corpus/$target" ] && corpora+=("corpus/$target")
    extra=()
    [ "$target" = verify_page ] && extra=(-max_len=512 -len_control=0)
    (cd fuzz && cargo +nightly fuzz run -s none "$target" "${corpora[@]}" -- \
      -max_total_time="$FUZZ_SECONDS" -timeout=10 "${extra[@]}" 2>&1 | tail -n 1)
  done
else
  echo "skipped: needs a nightly toolchain and cargo-fuzz (cargo install cargo-fuzz)"
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT

step "tests, whole workspace"
cargo test --workspace 2>&1 | tee -a "$log"

step "tests, envelope-core with the RustCrypto AES-GCM backend"
cargo test -p envelope-core --features rustcrypto-aes 2>&1 | tee -a "$log"

count() { grep -oE "test result: [a-zA-Z]+\. [0-9]+ passed; [0-9]+ failed" "$log" | awk -v f="$1" '{s += $f} END {print s + 0}'; }
step "summary"
echo "$(count 4) passed, $(count 6) failed"
