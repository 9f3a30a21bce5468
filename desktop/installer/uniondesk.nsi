; The Windows installer of UnionDesk (工会工作台): packs PyInstaller's one-folder build.
;
;   makensis -DVERSION=0.1.0 -DSOURCE_DIR=dist\UnionDesk -DOUT_FILE=dist\UnionDesk-0.1.0-setup.exe \
;            desktop\installer\uniondesk.nsi
;
; (desktop/installer/build_installer.py passes these from the project.) It installs for the
; current user only, without administrator rights, into %LOCALAPPDATA%\Programs\UnionDesk.
; The clerk's data (database, backups, logs, templates) lives in the per-user data folder
; %LOCALAPPDATA%\UnionDesk\UnionDesk and is never touched by an install or an upgrade; the
; uninstaller removes it only when the clerk ticks the box (or passes /REMOVEDATA).

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma
SetCompressorDictSize 64  ; UnionDesk.exe and UnionDesk-cli.exe share most bytes

!ifndef VERSION
  !error "pass -DVERSION=X.Y.Z"
!endif
!ifndef SOURCE_DIR
  !error "pass -DSOURCE_DIR=<the PyInstaller folder dist/UnionDesk>"
!endif
!ifndef OUT_FILE
  !define OUT_FILE "UnionDesk-${VERSION}-setup.exe"
!endif

!define APP_KEY "UnionDesk"
!define APP_TITLE "工会工作台"
!define PUBLISHER "UnionDesk"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_KEY}"
; platformdirs.user_data_dir("UnionDesk", "UnionDesk", roaming=False) and QSettings("UnionDesk", "UnionDesk")
!define DATA_DIR "$LOCALAPPDATA\UnionDesk\UnionDesk"
!define SETTINGS_KEY "Software\UnionDesk"

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "nsDialogs.nsh"

Name "${APP_TITLE} ${VERSION}"
Caption "${APP_TITLE} ${VERSION} 安装"
UninstallCaption "${APP_TITLE} 卸载"
OutFile "${OUT_FILE}"
RequestExecutionLevel user
InstallDir "$LOCALAPPDATA\Programs\UnionDesk"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"  ; an upgrade goes where the last version went
BrandingText "${APP_TITLE} ${VERSION}"
ShowInstDetails nevershow
ShowUninstDetails nevershow

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${APP_TITLE} UnionDesk"
VIAddVersionKey /LANG=2052 "FileDescription" "${APP_TITLE} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "${PUBLISHER}"

!ifdef ICON
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif
!define MUI_ABORTWARNING
!define MUI_WELCOMEPAGE_TITLE "欢迎安装${APP_TITLE} ${VERSION}"
!define MUI_WELCOMEPAGE_TEXT "${APP_TITLE}是乡镇（街道）工会的日常办公软件：职工和单位名册、红色工匠、技能竞赛、师徒结对、荣誉证书和各类报表。$\r$\n$\r$\n安装只用于当前 Windows 用户，不需要管理员权限。$\r$\n$\r$\n如果已经装过旧版本，请先关闭正在运行的${APP_TITLE}；升级会保留全部数据，新版本第一次启动时自动备份并升级数据库。$\r$\n$\r$\n点击“下一步”继续。"
!define MUI_FINISHPAGE_RUN "$INSTDIR\UnionDesk.exe"
!define MUI_FINISHPAGE_RUN_TEXT "现在启动${APP_TITLE}"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "将从你的电脑上卸载${APP_TITLE}。你的数据和备份默认保留在 ${DATA_DIR}，以后重新安装时会继续使用。"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
UninstPage custom un.DataPage un.DataPageLeave
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"

Var RemoveData
Var RemoveDataBox

; ---------------------------------------------------------------------------- not while it runs

; A running program's .exe cannot be opened for writing on Windows: ask the clerk to close
; UnionDesk (the window or a command-line job) before files are replaced or removed.
!macro CHECK_NOT_RUNNING PREFIX
Function ${PREFIX}CheckNotRunning
  StrCpy $1 "UnionDesk.exe"
  Call ${PREFIX}CheckOne
  StrCpy $1 "UnionDesk-cli.exe"
  Call ${PREFIX}CheckOne
FunctionEnd

Function ${PREFIX}CheckOne
  ${IfNot} ${FileExists} "$INSTDIR\$1"
    Return
  ${EndIf}
  retry:
  ClearErrors
  FileOpen $0 "$INSTDIR\$1" a
  ${If} ${Errors}
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "工会工作台正在运行。请先保存正在做的工作并关闭它（包括命令行窗口中的任务），再点“重试”。" /SD IDCANCEL IDRETRY retry
    Abort
  ${EndIf}
  FileClose $0
FunctionEnd
!macroend
!insertmacro CHECK_NOT_RUNNING ""
!insertmacro CHECK_NOT_RUNNING "un."

; ---------------------------------------------------------------------------- installing

Section "Install"
  SetShellVarContext current
  Call CheckNotRunning
  SetOutPath "$INSTDIR"
  ; An upgrade replaces the program files only: the old _internal folder goes first so no
  ; library of an older version is left beside the new ones. The data folder is elsewhere.
  RMDir /r "$INSTDIR\_internal"
  File /r "${SOURCE_DIR}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${APP_TITLE}.lnk" "$INSTDIR\UnionDesk.exe" "" "$INSTDIR\UnionDesk.exe" 0
  CreateShortCut "$DESKTOP\${APP_TITLE}.lnk" "$INSTDIR\UnionDesk.exe" "" "$INSTDIR\UnionDesk.exe" 0

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_TITLE}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\UnionDesk.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

; ---------------------------------------------------------------------------- uninstalling

Function un.onInit
  StrCpy $RemoveData 0
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/REMOVEDATA" $1
  ${IfNot} ${Errors}
    StrCpy $RemoveData 1
  ${EndIf}
FunctionEnd

Function un.DataPage
  !insertmacro MUI_HEADER_TEXT "数据和备份" "选择是否同时删除你的数据"
  nsDialogs::Create 1018
  Pop $0
  ${If} $0 == error
    Abort
  ${EndIf}
  ${NSD_CreateLabel} 0 0 100% 48u "你的数据库、自动备份、日志和自己保存的证书模板都在：$\r$\n${DATA_DIR}$\r$\n默认保留，重新安装后可以继续使用。"
  Pop $0
  ${NSD_CreateCheckbox} 0 56u 100% 12u "同时删除我的全部数据和备份（无法恢复）"
  Pop $RemoveDataBox
  ${If} $RemoveData == 1
    ${NSD_Check} $RemoveDataBox
  ${EndIf}
  ${NSD_CreateLabel} 0 76u 100% 36u "如果要把数据搬到新电脑，请先在${APP_TITLE}里用“文件 → 备份数据”备份到U盘，再卸载。"
  Pop $0
  nsDialogs::Show
FunctionEnd

Function un.DataPageLeave
  ${NSD_GetState} $RemoveDataBox $0
  ${If} $0 == ${BST_CHECKED}
    MessageBox MB_YESNO|MB_ICONEXCLAMATION|MB_DEFBUTTON2 "确定要删除全部数据和备份吗？删除后无法恢复。" IDYES +2
    Abort
    StrCpy $RemoveData 1
  ${Else}
    StrCpy $RemoveData 0
  ${EndIf}
FunctionEnd

Section "Uninstall"
  SetShellVarContext current
  Call un.CheckNotRunning
  Delete "$SMPROGRAMS\${APP_TITLE}.lnk"
  Delete "$DESKTOP\${APP_TITLE}.lnk"

  ; Only what the installer put there: the folder may have been chosen by the clerk.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\UnionDesk.exe"
  Delete "$INSTDIR\UnionDesk-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"

  DeleteRegKey HKCU "${UNINSTALL_KEY}"

  ${If} $RemoveData == 1
    RMDir /r "${DATA_DIR}"
    RMDir "$LOCALAPPDATA\UnionDesk"
    DeleteRegKey HKCU "${SETTINGS_KEY}"
  ${EndIf}
SectionEnd
