#!/usr/bin/env bash
# Builds the Windows release from Debian/Ubuntu:
#   dist/HoSoNTM-<version>-windows-x64.zip  (portable: program, DOC-TOI.txt, licences)
#   dist/HoSoNTM-<version>-setup.exe        (NSIS installer, Vietnamese, per user, no admin)
# Installs what it needs first (scripts/install-windows-deps.sh). The test-only
# bcryptprimitives.dll shim (tests/windows/) is never put in either.
# CARGO_TARGET_DIR is honoured; CARGO_BUILD_JOBS limits the cores used.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

./scripts/install-windows-deps.sh

triple=x86_64-pc-windows-gnu
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
[ -n "$version" ] || { echo "Lỗi: không đọc được phiên bản trong Cargo.toml." >&2; exit 1; }
target_dir=${CARGO_TARGET_DIR:-$root/target}
case "$target_dir" in /*) ;; *) target_dir=$root/$target_dir ;; esac

echo "Biên dịch bản phát hành Windows $version…"
start=$(date +%s)
cargo build --release --locked --target "$triple"
echo "Biên dịch xong sau $(( $(date +%s) - start )) giây."
exe=$target_dir/$triple/release/ntm-dossier.exe

name=HoSoNTM-$version
work=$target_dir/windows-dist
stage=$work/$name
rm -rf "$work"
mkdir -p "$stage/giay-phep" dist

crlf() { sed 's/$/\r/' "$1" > "$2"; }

cp "$exe" "$stage/ntm-dossier.exe"

# DOC-TOI.txt: the README's section for Windows users, with Windows line ends.
{
  echo "Hồ sơ NTM $version cho Windows"
  echo
  awk '/^## Dành cho người dùng Windows/{on=1; next} /^## /{on=0} on' README.md
} > "$work/doc-toi.txt"
grep -q "Dữ liệu nằm ở đâu" "$work/doc-toi.txt" \
  || { echo "Lỗi: README.md thiếu mục «Dành cho người dùng Windows»." >&2; exit 1; }
crlf "$work/doc-toi.txt" "$stage/DOC-TOI.txt"

# GIAY-PHEP.txt: the program's licence (MIT); giay-phep/: the embedded fonts' licences and
# the Rust libraries compiled into the program, each with its licence.
cat > "$work/giay-phep.txt" <<LICENCE
Hồ sơ NTM $version — giấy phép MIT (nguyên văn tiếng Anh bên dưới).
Phông chữ nhúng trong chương trình và các thư viện dùng kèm có giấy phép riêng: xem thư
mục giay-phep.

MIT License

Copyright (c) the Hồ sơ NTM authors

Permission is hereby granted, free of charge, to any person obtaining a copy of this
software and associated documentation files (the "Software"), to deal in the Software
without restriction, including without limitation the rights to use, copy, modify, merge,
publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons
to whom the Software is furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED,
INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR
PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE
FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
DEALINGS IN THE SOFTWARE.
LICENCE
crlf "$work/giay-phep.txt" "$stage/GIAY-PHEP.txt"
for f in assets/fonts/OFL-*.txt; do
  crlf "$f" "$stage/giay-phep/$(basename "$f")"
done
{
  echo "Các thư viện Rust được biên dịch vào ntm-dossier.exe (tên, phiên bản, giấy phép):"
  echo
  cargo tree --locked --target "$triple" -e normal --prefix none --format '{p}  {l}' \
    | sed 's/ (\*)$//; s/ (proc-macro)//' | grep -v '^ntm-dossier ' | sort -u
  echo
  echo "Ảnh chụp được giải mã và mã hóa lại bằng libjpeg-turbo (bản MozJPEG, qua mozjpeg-sys):"
  echo "this software is based in part on the work of the Independent JPEG Group."
} > "$work/thu-vien.txt"
crlf "$work/thu-vien.txt" "$stage/giay-phep/THU-VIEN.txt"

# The shim is for tests under Wine only.
if [ -n "$(find "$stage" -iname 'bcryptprimitives*')" ]; then
  echo "Lỗi: tệp thử nghiệm bcryptprimitives.dll lọt vào bản phát hành." >&2
  exit 1
fi

zip_file=$root/dist/$name-windows-x64.zip
setup_file=$root/dist/$name-setup.exe
rm -f "$zip_file" "$setup_file"
(cd "$work" && zip -q -r -X "$zip_file" "$name")
makensis -V2 -INPUTCHARSET UTF8 \
  "-DVERSION=$version" "-DSTAGE=$stage" "-DICON=$root/assets/windows/icon.ico" \
  "-DOUTFILE=$setup_file" scripts/windows/installer.nsi

echo "Đã ghi:"
ls -l "$zip_file" "$setup_file"
