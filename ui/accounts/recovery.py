"""The 恢复密钥 sheet: saved as a PDF (``desktop.keys.print_recovery_sheet`` makes a new recovery key
and writes it), then offered to the printer (``ui.printing``). Reprinting makes the old sheet stop
working, so the 账户 page asks first; the wizard prints the first sheet without asking.

``ask_path`` and ``ask_print`` are module functions so tests can answer them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from db.errors import DatabaseProblem, ValidationError
from desktop.context import App
from ui.dialogs.common import choose_save_file

SHEET_NAME = "恢复密钥.pdf"


def tr(text: str) -> str:
    return QCoreApplication.translate("RecoverySheet", text)


def ask_path(parent: QWidget | None) -> Path | None:
    return choose_save_file(parent, tr("保存恢复密钥表"), tr(SHEET_NAME), tr("PDF 文件 (*.pdf)"), ".pdf", "recovery")


def ask_print(parent: QWidget | None, pdf: Path) -> bool:
    """Offer to print the saved sheet; True when it was sent to a printer (or a file)."""
    box = QMessageBox(QMessageBox.Icon.Information, tr("恢复密钥表"), tr(
        "恢复密钥表已保存到：\n{0}\n\n请打印出来，锁在保险柜等安全的地方，并删除电脑上的这份文件。"
        "忘记所有密码或更换电脑时，要用它才能打开数据。").format(pdf), QMessageBox.StandardButton.NoButton, parent)
    print_button = box.addButton(tr("打印…"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(tr("以后再打印"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(print_button)
    box.exec()
    if box.clickedButton() is not print_button:
        return False
    from ui.printing import choose_printer, deliver_to

    printer = choose_printer(parent, tr("打印恢复密钥表"))
    if printer is None:
        return False
    deliver_to(printer)(pdf)
    return True


def confirm_reprint(parent: QWidget | None) -> bool:
    return QMessageBox.question(
        parent, tr("打印恢复密钥"),
        tr("将生成新的恢复密钥并打印新的恢复密钥表。\n旧的恢复密钥表从此失效，请在新表打印好后销毁旧表。\n\n要继续吗？"),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No) == QMessageBox.StandardButton.Yes


def save_recovery_sheet(parent: QWidget | None, app: App, *, confirm: bool) -> Path | None:
    """Ask where, write the sheet with a new recovery key, offer printing; the PDF or None."""
    if confirm and not confirm_reprint(parent):
        return None
    target = ask_path(parent)
    if target is None:
        return None
    from desktop import keys

    try:
        pdf = keys.print_recovery_sheet(app, target)  # type: ignore[attr-defined]
    except (DatabaseProblem, ValidationError) as exc:
        QMessageBox.warning(parent, tr("未能生成恢复密钥表"), exc.message)
        return None
    except OSError as exc:
        QMessageBox.warning(parent, tr("未能生成恢复密钥表"), tr("无法写入 {0}：{1}").format(target, exc))
        return None
    ask_print(parent, pdf)
    return pdf
