; Installer of Hồ sơ NTM for Windows (NSIS 3, Unicode). Built by scripts/build-windows.sh:
;   makensis -DVERSION=0.1.0 -DSTAGE=<folder of the zip> -DICON=<icon.ico> -DOUTFILE=<setup.exe> installer.nsi
; Per-user: no administrator rights, installs into %LOCALAPPDATA%\Programs\HoSoNTM, writes
; only under HKCU. The uninstaller removes the program, never the user's workspaces (they
; live in %APPDATA%\NTM\ho-so-ntm or wherever the user saved them).
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID lzma

!include "MUI2.nsh"

!define APPNAME "Hồ sơ NTM"
!define APPKEY "HoSoNTM"
!define PROGID "HoSoNTM.GoiHoSo"
!define EXE "ntm-dossier.exe"
!define UNINSTALLER "Go-cai-dat.exe"
!define UNINSTKEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APPKEY}"

Name "${APPNAME}"
Caption "Cài đặt ${APPNAME} ${VERSION}"
OutFile "${OUTFILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\${APPKEY}"
InstallDirRegKey HKCU "Software\${APPKEY}" "InstallDir"
BrandingText "${APPNAME} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1066 "ProductName" "${APPNAME}"
VIAddVersionKey /LANG=1066 "FileDescription" "Cài đặt ${APPNAME}"
VIAddVersionKey /LANG=1066 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1066 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1066 "LegalCopyright" "Giấy phép MIT"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TEXT "Chương trình sẽ cài ${APPNAME} ${VERSION} cho riêng tài khoản này, không cần quyền quản trị.$\r$\n$\r$\nDữ liệu hồ sơ không nằm trong thư mục cài đặt: gỡ cài đặt hay cài bản mới không xóa dữ liệu.$\r$\n$\r$\nBấm «Tiếp» để tiếp tục."
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Mở ${APPNAME} ngay"
!define MUI_FINISHPAGE_SHOWREADME "$INSTDIR\DOC-TOI.txt"
!define MUI_FINISHPAGE_SHOWREADME_TEXT "Xem hướng dẫn (DOC-TOI.txt)"
!define MUI_FINISHPAGE_SHOWREADME_NOTCHECKED

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_LICENSE "${STAGE}\GIAY-PHEP.txt"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Vietnamese"

Section "${APPNAME}" SecMain
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  File "${STAGE}\${EXE}"
  File "${STAGE}\DOC-TOI.txt"
  File "${STAGE}\GIAY-PHEP.txt"
  SetOutPath "$INSTDIR\giay-phep"
  File "${STAGE}\giay-phep\*.*"
  SetOutPath "$INSTDIR"
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"
  WriteRegStr HKCU "Software\${APPKEY}" "InstallDir" "$INSTDIR"

  CreateDirectory "$SMPROGRAMS\${APPNAME}"
  CreateShortcut "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0
  CreateShortcut "$SMPROGRAMS\${APPNAME}\Gỡ cài đặt ${APPNAME}.lnk" "$INSTDIR\${UNINSTALLER}"
  CreateShortcut "$DESKTOP\${APPNAME}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0

  ; Bundles (.ntm): a double-click opens the app, which offers to import the bundle.
  WriteRegStr HKCU "Software\Classes\.ntm" "" "${PROGID}"
  WriteRegStr HKCU "Software\Classes\${PROGID}" "" "Gói hồ sơ NTM"
  WriteRegStr HKCU "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\${EXE}" "%1"'

  WriteRegStr HKCU "${UNINSTKEY}" "DisplayName" "${APPNAME}"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTKEY}" "Publisher" "NTM"
  WriteRegStr HKCU "${UNINSTKEY}" "DisplayIcon" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "${UNINSTKEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTKEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegStr HKCU "${UNINSTKEY}" "QuietUninstallString" '"$INSTDIR\${UNINSTALLER}" /S'
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTKEY}" "NoRepair" 1

  ; Tell Explorer the file associations changed (SHCNE_ASSOCCHANGED).
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
SectionEnd

Section "Uninstall"
  SetShellVarContext current
  ; Only the files this installer put there: a workspace the user saved in this folder stays,
  ; and so does the folder then (RMDir without /r removes only an empty folder).
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\DOC-TOI.txt"
  Delete "$INSTDIR\GIAY-PHEP.txt"
  Delete "$INSTDIR\giay-phep\*.txt"
  RMDir "$INSTDIR\giay-phep"
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR"

  Delete "$SMPROGRAMS\${APPNAME}\${APPNAME}.lnk"
  Delete "$SMPROGRAMS\${APPNAME}\Gỡ cài đặt ${APPNAME}.lnk"
  RMDir "$SMPROGRAMS\${APPNAME}"
  Delete "$DESKTOP\${APPNAME}.lnk"

  ; The association, only if .ntm still points to this program.
  ReadRegStr $0 HKCU "Software\Classes\.ntm" ""
  StrCmp $0 "${PROGID}" 0 +2
    DeleteRegKey HKCU "Software\Classes\.ntm"
  DeleteRegKey HKCU "Software\Classes\${PROGID}"
  DeleteRegKey HKCU "${UNINSTKEY}"
  DeleteRegKey HKCU "Software\${APPKEY}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
  ; Workspaces (%APPDATA%\NTM\ho-so-ntm and files the user saved) are never removed.
SectionEnd
