#!/usr/bin/env bash
# Installs what the test suite needs and this machine lacks: the wasm32
# target and rustfmt/clippy, the browsers and their WebDriver drivers (and
# npm, which fetches the pinned axe-core), rspamd (the deliverability test),
# Postfix (the gateway test), ClamAV (the virus-scanning tests), an SMTP
# server and openssl (the send tests),
# wasm-bindgen's CLI and cargo-fuzz. Debian packages are installed only
# when run as root; otherwise it prints the one command that installs
# them, and fails. scripts/test-all.sh runs it first.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '== %s\n' "$*"; }

say "toolchain (rust-toolchain.toml), the wasm32 target, rustfmt and clippy"
rustup show active-toolchain
# The pinned toolchain names the wasm32 target, but an already-installed
# toolchain does not pick it up by itself.
rustup target add wasm32-unknown-unknown >/dev/null
rustup component add rustfmt clippy >/dev/null

# Debian packages: what is missing, found by the command each provides.
missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
if [ -z "${SKIP_BROWSER_TESTS:-}" ]; then
  need chromium chromium
  need chromedriver chromium-driver
  need firefox-esr firefox-esr
  # WebKitGTK (Safari's engine): MiniBrowser and its driver, on Xvfb.
  need WebKitWebDriver webkit2gtk-driver
  need Xvfb xvfb
  # npm fetches the pinned axe-core for the accessibility tests.
  need npm npm
fi
need openssl openssl
# A text-only browser, for the page's no-script explanation (dead_states).
need w3m w3m
# A spam filter, for the notice's score with and without the documented
# allow rule (tests/tests/rspamd.rs, docs/DELIVERABILITY.md).
need rspamd rspamd
# ClamAV's daemon and sigtool, for the virus-scanning tests (tests/clamd.rs
# starts its own clamd with a database it writes).
if [ -z "${SKIP_CLAMAV_TESTS:-}" ]; then
  [ -x /usr/sbin/clamd ] || missing+=(clamav-daemon)
  [ -x /usr/bin/sigtool ] || missing+=(clamav)
fi
if [ -z "${SKIP_POSTFIX_TEST:-}" ]; then
  [ -x /usr/sbin/postfix ] || command -v postfix >/dev/null 2>&1 || missing+=(postfix)
fi
/usr/bin/python3 -c "import aiosmtpd" 2>/dev/null || missing+=(python3-aiosmtpd)

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    say "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Postfix comes unconfigured: the gateway test configures it on loopback.
    echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
    echo "postfix postfix/mailname string localhost" | debconf-set-selections
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "error: the tests need Debian packages this machine lacks; install them with:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    echo "(or skip what cannot run here: SKIP_BROWSER_TESTS=1, SKIP_POSTFIX_TEST=1," >&2
    echo " SKIP_CLAMAV_TESTS=1)" >&2
    exit 1
  fi
fi

say "wasm-bindgen CLI 0.2.130 (must match the wasm-bindgen crate) and geckodriver"
# Not --locked: wasm-bindgen-cli's lock file pins a yanked crate.
wasm-bindgen --version 2>/dev/null | grep -q 0.2.130 \
  || cargo install wasm-bindgen-cli --version 0.2.130 --quiet
command -v geckodriver >/dev/null || cargo install geckodriver --version 0.37.1 --quiet

say "cargo-fuzz (the fuzz smoke run)"
if cargo +nightly --version >/dev/null 2>&1; then
  cargo +nightly fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked --quiet
else
  echo "no nightly toolchain on this machine: the fuzz smoke run will be skipped"
fi
