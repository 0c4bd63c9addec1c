#!/usr/bin/env bash
# Installs what building and testing the Windows release needs on Debian/Ubuntu, on top of
# scripts/install-deps.sh: the mingw cross compiler (also windres, for the icon), NSIS (the
# installer), Wine and Xvfb (the smoke test), zip, and the Rust target x86_64-pc-windows-gnu.
# Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh

packages=(gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 nsis wine wine64 xvfb imagemagick zip)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "Cài đặt gói hệ thống cho bản Windows: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if command -v rustup >/dev/null 2>&1; then
  rustup target list --installed | grep -qx x86_64-pc-windows-gnu \
    || rustup target add x86_64-pc-windows-gnu
  rustup component add clippy >/dev/null 2>&1 || true
else
  echo "Lỗi: cần rustup để thêm đích biên dịch x86_64-pc-windows-gnu." >&2
  exit 1
fi
