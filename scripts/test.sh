#!/usr/bin/env bash
# The whole gate: system packages, formatting, lints, every test. CI runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --locked
# The Windows release: built, then run under Wine and Xvfb (see the script).
./scripts/windows-smoke.sh
