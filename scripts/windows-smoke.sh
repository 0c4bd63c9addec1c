#!/usr/bin/env bash
# Smoke test of the Windows release under Wine and Xvfb (run by scripts/test.sh).
#  1. builds it (scripts/build-windows.sh: zip + installer); clippy for Windows runs last;
#  2. runs the command line with ntm-dossier.exe and with the Linux binary on the same
#     steps, Vietnamese names everywhere, and compares `status --json`;
#  3. packet, bundle export, bundle import into a second workspace;
#  4. opens the window, waits, keeps target/windows-smoke/window.png (and window-goi.png:
#     started with a .ntm file, the window offers to import it);
#  5. installs the installer silently (/S), runs the installed program, uninstalls, and
#     checks the user's workspace is still there.
# Wine 8 lacks bcryptprimitives.dll (ProcessPrng); the test-only shim in tests/windows/ is
# compiled here and put into the test Wine prefix only. Timings: target/windows-smoke/timings.txt
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export LANG=C.UTF-8 LC_ALL=C.UTF-8

out=$root/target/windows-smoke
rm -rf "$out"
mkdir -p "$out"
timings=$out/timings.txt
t_start=$(date +%s)
t_lap=$t_start
lap() {
  local now
  now=$(date +%s)
  printf '%-40s %4d s\n' "$1" $((now - t_lap)) | tee -a "$timings"
  t_lap=$now
}
fail() {
  echo "windows-smoke: LỖI: $*" >&2
  exit 1
}
# has PATTERN: like `grep -q`, but reads all its input, so that the command before it in a
# pipe never dies of SIGPIPE (with pipefail that would turn a match into a failure).
has() {
  grep "$@" >/dev/null
}

# 1. Build and lint.
./scripts/build-windows.sh
lap "build-windows.sh (bản phát hành, zip, cài đặt)"
# The Linux binary to compare with (NTM_SMOKE_LINUX_TARGET_DIR: where it is built, when the
# Windows build uses another target folder).
linux_target=${NTM_SMOKE_LINUX_TARGET_DIR:-${CARGO_TARGET_DIR:-target}}
CARGO_TARGET_DIR=$linux_target cargo build --locked
lap "bản Linux (debug)"

triple=x86_64-pc-windows-gnu
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
target_dir=${CARGO_TARGET_DIR:-$root/target}
case "$target_dir" in /*) ;; *) target_dir=$root/$target_dir ;; esac
exe=$target_dir/$triple/release/ntm-dossier.exe
case "$linux_target" in /*) ;; *) linux_target=$root/$linux_target ;; esac
lin=$linux_target/debug/ntm-dossier
setup=$root/dist/HoSoNTM-$version-setup.exe
zip_file=$root/dist/HoSoNTM-$version-windows-x64.zip
[ -f "$exe" ] && [ -x "$lin" ] && [ -f "$setup" ] && [ -f "$zip_file" ] || fail "thiếu tệp đã biên dịch"
unzip -l "$zip_file" | has -i bcryptprimitives && fail "tệp thử nghiệm nằm trong bản zip"

# 2. Wine prefix of this test only, its own HOME (Wine links Desktop/Documents there), Xvfb.
# cargo (clippy, last) still finds its toolchain once HOME points elsewhere.
export RUSTUP_HOME=${RUSTUP_HOME:-$HOME/.rustup} CARGO_HOME=${CARGO_HOME:-$HOME/.cargo}
export HOME=$out/home WINEPREFIX=$out/wine WINEARCH=win64 WINEDEBUG=-all
export WINEDLLOVERRIDES="bcryptprimitives=n;winemenubuilder.exe=d;mscoree=;mshtml="
mkdir -p "$HOME"
x86_64-w64-mingw32-gcc -O2 -shared -s -o "$out/bcryptprimitives.dll" \
  tests/windows/bcryptprimitives.c -ladvapi32
Xvfb -displayfd 3 -screen 0 1600x900x24 -nolisten tcp 3>"$out/display" 2>"$out/xvfb.log" &
xvfb_pid=$!
cleanup() {
  wineserver -k 2>/dev/null || true
  kill "$xvfb_pid" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 50); do [ -s "$out/display" ] && break; sleep 0.1; done
[ -s "$out/display" ] || fail "Xvfb không khởi động"
export DISPLAY=:$(cat "$out/display")
wineboot -i >"$out/wineboot.log" 2>&1
wineserver -w
cp "$out/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"
users=$(find "$WINEPREFIX/drive_c/users" -mindepth 1 -maxdepth 1 -type d ! -name Public | head -n 1)
[ -n "$users" ] || fail "không thấy thư mục người dùng trong Wine"
lap "Wine, Xvfb, tệp thử nghiệm bcryptprimitives"

# The program sits in a folder with a Vietnamese name, like a clerk's download folder.
progdir="$out/Chương trình tải về"
mkdir -p "$progdir"
cp "$exe" "$progdir/ntm-dossier.exe"
wexe="$progdir/ntm-dossier.exe"

# 3. The same steps on both sides, each in its own folder; file names are relative.
win=$out/"Xã Đông Hòa (Windows)"
lnx=$out/"Xã Đông Hòa (Linux)"
mkdir -p "$win/Minh chứng" "$lnx/Minh chứng"
db="Dữ liệu xã Đông Hòa.sqlite"
"$lin" --db "$out/nháp.sqlite" catalog import tests/fixtures/test-edition.toml >/dev/null
"$lin" --db "$out/nháp.sqlite" unit add --name "Tỉnh Nháp" --kind tinh >/dev/null
"$lin" --db "$out/nháp.sqlite" unit add --name "Xã Nháp" --kind xa --parent 1 --region btb >/dev/null
"$lin" --db "$out/nháp.sqlite" assessment new --unit 2 --year 2026 --edition thu-nghiem-xa >/dev/null
"$lin" --db "$out/nháp.sqlite" dossier build 1 "$out/nháp.pdf" >/dev/null
convert -size 320x200 xc:'#cfe8d0' -fill '#1f7a3a' -draw 'rectangle 40,40 280,160' "$out/ảnh.jpg"
# A photo large enough to be decoded at reduced scale and re-encoded (libjpeg-turbo, C code
# built for Windows), and the same photo cut short: its decoder error must unwind out of
# the C code and print as what it is, not end the program.
convert -seed 7 -size 2400x1800 plasma:fractal -quality 90 "$out/ảnh lớn.jpg"
head -c 300000 "$out/ảnh lớn.jpg" >"$out/ảnh hỏng.jpg"
for side in "$win" "$lnx"; do
  cp tests/fixtures/test-edition.toml "$side/Bộ tiêu chí thử nghiệm.toml"
  printf 'indicator,numerator,denominator,value\n1.1,90,100,\n1.2,,,dat\n2.1,,,70\n2.2,10,100,\n3.1,,,6\n3.2,,,Hoàn thành tốt nhiệm vụ\n' \
    >"$side/Số liệu xã Đông Hòa.csv"
  cp "$out/nháp.pdf" "$side/Minh chứng/Biên bản họp thôn Đông.pdf"
  cp "$out/ảnh.jpg" "$side/Minh chứng/Ảnh nhà văn hóa thôn Đông Yên.jpg"
  cp "$out/ảnh lớn.jpg" "$side/Minh chứng/Ảnh đường thôn.jpg"
  cp "$out/ảnh hỏng.jpg" "$side/Minh chứng/Ảnh chép dở.jpg"
done

# run_both NAME ARGS…: the same command on both sides; stdout kept as NAME.win / NAME.lnx.
run_both() {
  local name=$1
  shift
  (cd "$lnx" && "$lin" "$@") >"$out/$name.lnx" 2>"$out/$name.lnx.err" \
    || { cat "$out/$name.lnx.err" >&2; fail "Linux: $*"; }
  (cd "$win" && wine "$wexe" "$@") >"$out/$name.win" 2>"$out/$name.win.err" \
    || { cat "$out/$name.win.err" >&2; fail "Windows: $*"; }
}
same() {
  diff -u "$out/$1.lnx" "$out/$1.win" || fail "kết quả «$1» của bản Windows khác bản Linux"
}

run_both catalog --db "$db" catalog import "Bộ tiêu chí thử nghiệm.toml"
run_both tinh --db "$db" unit add --name "Tỉnh Hà Tĩnh" --kind tinh
run_both xa --db "$db" unit add --name "Xã Đông Hòa" --kind xa --parent 1 --region btb
run_both thon --db "$db" unit add --name "Thôn Đông Yên" --kind thon --parent 2
run_both units --db "$db" unit list
same units
grep -q "Thôn Đông Yên" "$out/units.win" || fail "thiếu «Thôn Đông Yên» trong unit list"
run_both assessment --db "$db" assessment new --unit 2 --year 2026 --edition thu-nghiem-xa
same assessment
a=$(tr -d '\r\n' <"$out/assessment.win")
run_both values --db "$db" values import "$a" "Số liệu xã Đông Hòa.csv"
run_both evidence --db "$db" evidence add --indicator 1.1 --indicator 2.2 "$a" \
  "Minh chứng/Biên bản họp thôn Đông.pdf" "Minh chứng/Ảnh nhà văn hóa thôn Đông Yên.jpg" \
  "Minh chứng/Ảnh đường thôn.jpg" "Minh chứng/Ảnh chép dở.jpg"
run_both evidence-list --db "$db" evidence list "$a"
same evidence-list
grep -q "Biên bản họp thôn Đông.pdf" "$out/evidence-list.win" || fail "tên minh chứng bị đổi"
run_both status --db "$db" status "$a" --json
# Nothing in the status differs legitimately between the two (no paths, same ids, same
# day); a difference is a bug of the Windows build.
same status
grep -q '"unit_name": "Xã Đông Hòa"' "$out/status.win" || fail "status --json thiếu tên xã"
lap "dòng lệnh: đơn vị, đợt, số liệu, minh chứng, status"

run_both packet --db "$db" dossier build "$a" "Hồ sơ xã Đông Hòa.pdf"
[ -s "$win/Hồ sơ xã Đông Hòa.pdf" ] || fail "bản Windows không tạo được tập hồ sơ"
pages_win=$(pdfinfo "$win/Hồ sơ xã Đông Hòa.pdf" | sed -n 's/^Pages: *//p')
pages_lnx=$(pdfinfo "$lnx/Hồ sơ xã Đông Hòa.pdf" | sed -n 's/^Pages: *//p')
[ "$pages_win" = "$pages_lnx" ] || fail "tập hồ sơ: $pages_win trang (Windows), $pages_lnx trang (Linux)"
pdftotext "$win/Hồ sơ xã Đông Hòa.pdf" - | has "Đông Hòa" || fail "tập hồ sơ thiếu tên xã"
pdftotext "$win/Hồ sơ xã Đông Hòa.pdf" - | has "Ảnh chép dở.jpg" || fail "tập hồ sơ thiếu ảnh hỏng"
pdfimages -list "$win/Hồ sơ xã Đông Hòa.pdf" | awk '$4 == 600 && $5 == 450' | grep -q . \
  || fail "ảnh lớn không được thu về 1/4 (600×450) trong bản Windows"

(cd "$win" && wine "$wexe" --db "$db" bundle export "$a" --out "Gói xã Đông Hòa.ntm") >"$out/export.win"
[ -s "$win/Gói xã Đông Hòa.ntm" ] || fail "không xuất được gói"
# The receiver confirms the signer's key by the fingerprint printed on the tờ trình.
fingerprint=$(sed -n 's/^Dấu vân tay khóa ký: *\([0-9A-Z-]*\).*$/\1/p' "$out/export.win")
[ -n "$fingerprint" ] || fail "bản Windows không in dấu vân tay khóa ký khi xuất gói"
mkdir -p "$win/Phòng Nông nghiệp huyện"
(cd "$win/Phòng Nông nghiệp huyện" && wine "$wexe" --db "Tổng hợp huyện.sqlite" bundle import \
  --trust "$fingerprint" "../Gói xã Đông Hòa.ntm") \
  >"$out/import.win" || fail "bản Windows không nhập được gói vào tệp thứ hai"
(cd "$win/Phòng Nông nghiệp huyện" && wine "$wexe" --db "Tổng hợp huyện.sqlite" status 1 --json) >"$out/imported.win"
grep -q '"unit_name": "Xã Đông Hòa"' "$out/imported.win" || fail "tệp thứ hai không có đợt đánh giá của xã"
# The bundle written on Windows reads the same on Linux.
"$lin" --db "$out/linux-nhận.sqlite" bundle import --trust "$fingerprint" "$win/Gói xã Đông Hòa.ntm" >/dev/null
"$lin" --db "$out/linux-nhận.sqlite" status 1 --json >"$out/imported.lnx"
same imported
lap "tập hồ sơ, gói, nhập vào tệp thứ hai"

# 4. The window. `import` keeps what Xvfb shows; a blank screen has almost one colour.
screenshot() {
  local file=$1 colours
  import -window root "$file"
  colours=$(convert "$file" -format '%k' info:)
  [ "$colours" -gt 64 ] || fail "ảnh chụp cửa sổ gần như trống ($colours màu): $file"
}
(cd "$win" && exec wine "$wexe" --db "$db") >"$out/window.log" 2>&1 &
window_pid=$!
sleep "${NTM_SMOKE_WINDOW_WAIT:-20}"
kill -0 "$window_pid" 2>/dev/null || { cat "$out/window.log" >&2; fail "cửa sổ đóng ngay khi mở"; }
screenshot "$out/window.png"
wineserver -k
wait "$window_pid" 2>/dev/null || true
# Started with a bundle (what a double-click on a .ntm does): it offers to import it.
(cd "$win" && exec wine "$wexe" "Gói xã Đông Hòa.ntm") >"$out/window-goi.log" 2>&1 &
window_pid=$!
sleep "${NTM_SMOKE_WINDOW_WAIT:-20}"
kill -0 "$window_pid" 2>/dev/null || { cat "$out/window-goi.log" >&2; fail "cửa sổ (mở bằng gói) đóng ngay"; }
screenshot "$out/window-goi.png"
wineserver -k
wait "$window_pid" 2>/dev/null || true
lap "cửa sổ và ảnh chụp"

# 5. Installer: silent, per user, without administrator rights.
wine "$setup" /S
wineserver -w
instdir="$users/AppData/Local/Programs/HoSoNTM"
installed="$instdir/ntm-dossier.exe"
[ -f "$installed" ] || fail "bộ cài không chép chương trình vào %LOCALAPPDATA%\\Programs\\HoSoNTM"
[ -f "$instdir/DOC-TOI.txt" ] || fail "bộ cài thiếu DOC-TOI.txt"
find "$instdir" -iname 'bcryptprimitives*' | has . && fail "tệp thử nghiệm nằm trong bộ cài"
[ -f "$users/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Hồ sơ NTM/Hồ sơ NTM.lnk" ] \
  || fail "thiếu lối tắt trong menu Start"
[ -f "$users/Desktop/Hồ sơ NTM.lnk" ] || fail "thiếu lối tắt trên màn hình nền"
wine reg query 'HKCU\Software\Classes\.ntm' /ve >"$out/reg-ntm.txt"
grep -q "HoSoNTM.GoiHoSo" "$out/reg-ntm.txt" || fail "tệp .ntm chưa được gắn với chương trình"
wine reg query 'HKCU\Software\Classes\HoSoNTM.GoiHoSo\shell\open\command' /ve >"$out/reg-open.txt"
grep -q 'ntm-dossier.exe" "%1"' "$out/reg-open.txt" || fail "lệnh mở tệp .ntm sai"
# The installed program runs, and writes the user's default workspace (in AppData).
wine "$installed" --version | has "$version" || fail "chương trình đã cài không chạy"
wine "$installed" unit add --name "Tỉnh Quảng Trị" --kind tinh >/dev/null
workspace="$users/AppData/Roaming/NTM/ho-so-ntm/data/ho-so-ntm.sqlite"
[ -f "$workspace" ] || fail "tệp dữ liệu mặc định không nằm trong AppData"
# A workspace the clerk saved inside the program folder must survive the uninstaller too.
wine "$installed" --db "$instdir/Hồ sơ của tôi.sqlite" unit add --name "Xã Vĩnh Linh" --kind xa >/dev/null
lap "cài đặt, chạy chương trình đã cài"

wine "$instdir/Go-cai-dat.exe" /S
wineserver -w
[ ! -e "$installed" ] || fail "gỡ cài đặt không xóa chương trình"
[ ! -e "$users/Desktop/Hồ sơ NTM.lnk" ] || fail "gỡ cài đặt không xóa lối tắt"
wine reg query 'HKCU\Software\Classes\HoSoNTM.GoiHoSo' >/dev/null 2>&1 && fail "gỡ cài đặt để lại liên kết .ntm"
[ -f "$workspace" ] || fail "gỡ cài đặt đã xóa tệp dữ liệu của người dùng"
[ -f "$instdir/Hồ sơ của tôi.sqlite" ] || fail "gỡ cài đặt đã xóa tệp dữ liệu trong thư mục chương trình"
wine "$wexe" --db "$workspace" unit list | has "Tỉnh Quảng Trị" || fail "tệp dữ liệu sau khi gỡ không đọc được"
wine "$wexe" --db "$instdir/Hồ sơ của tôi.sqlite" unit list | has "Xã Vĩnh Linh" \
  || fail "tệp dữ liệu trong thư mục chương trình không đọc được"
lap "gỡ cài đặt, dữ liệu còn nguyên"

# Last, as it compiles everything once more (checked, for Windows).
cargo clippy --locked --target x86_64-pc-windows-gnu -- -D warnings
lap "clippy --target x86_64-pc-windows-gnu"

total=$(($(date +%s) - t_start))
printf '%-40s %4d s\n' "tổng" "$total" | tee -a "$timings"
echo "windows-smoke: đạt. Ảnh chụp: $out/window.png, $out/window-goi.png"
