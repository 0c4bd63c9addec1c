#!/usr/bin/env bash
# Installs what Hồ sơ NTM needs on Debian/Ubuntu: a C compiler (bundled SQLite), the
# libraries the window loads at run time (X11/Wayland, OpenGL, xkbcommon), and the PDF
# tools the tests use to read generated files back. Safe to run again.
set -euo pipefail

packages=(
  gcc libc6-dev pkg-config
  libx11-6 libx11-xcb1 libxcursor1 libxrandr2 libxi6 libxkbcommon0 libxkbcommon-x11-0
  libwayland-client0 libwayland-cursor0 libwayland-egl1 libgl1 libegl1
  poppler-utils
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "Cài đặt gói hệ thống: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if command -v rustup >/dev/null 2>&1; then
  rustup component add rustfmt clippy >/dev/null 2>&1 || true
fi
