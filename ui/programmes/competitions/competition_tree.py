"""The competitions tab's left side: competitions (newest first) with their events and entry counts.

Choosing a competition opens its first event; :attr:`CompetitionTree.chosen` says which
competition and event (None when there is none) the right side should show.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from desktop.programmes.competitions import rules
from desktop.programmes.competitions.queries import CompetitionNode

Role = int(Qt.ItemDataRole.UserRole) + 7


def tr(text: str) -> str:
    return QCoreApplication.translate("CompetitionsTab", text)


class CompetitionTree(QTreeWidget):
    chosen = Signal(object, object)  # competition id or None, event id or None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("competitionTree")
        self.setHeaderLabel(tr("竞赛与项目"))
        self.setMinimumWidth(200)
        self.setRootIsDecorated(True)
        self.setIndentation(14)
        self.setWordWrap(True)
        self.currentItemChanged.connect(self._changed)

    def fill(self, nodes: list[CompetitionNode], competition_id: int | None, event_id: int | None) -> None:
        """Show ``nodes`` and choose the given event (or competition), else the first there is."""
        self.blockSignals(True)
        self.clear()
        bold = QFont(self.font())
        bold.setBold(True)
        target: QTreeWidgetItem | None = None
        for node in nodes:
            item = QTreeWidgetItem([node.title])
            item.setData(0, Role, ("c", node.id))
            item.setFont(0, bold)
            kind = tr("团体赛") if node.kind == rules.TEAM else tr("个人赛")
            item.setToolTip(0, f"{node.title}（{kind}）")
            self.addTopLevelItem(item)
            for eid, trade, count in node.events:
                unit = tr("队") if node.kind == rules.TEAM else tr("人")
                child = QTreeWidgetItem([f"{trade}　{count} {unit}"])
                child.setData(0, Role, ("e", eid))
                item.addChild(child)
                if event_id == eid:
                    target = child
            item.setExpanded(True)
            if target is None and competition_id == node.id and event_id is None:
                target = item
        self.blockSignals(False)
        if target is None and self.topLevelItemCount():
            first = self.topLevelItem(0)
            target = first.child(0) if first.childCount() else first
        if target is not None:
            self.setCurrentItem(target)
            self._changed(target)
        else:
            self.chosen.emit(None, None)

    def _changed(self, item: QTreeWidgetItem | None, _previous: object = None) -> None:
        if item is None:
            self.chosen.emit(None, None)
            return
        kind, rid = item.data(0, Role)
        if kind == "c":
            if item.childCount():
                self.setCurrentItem(item.child(0))  # a competition opens on its first event
                return
            self.chosen.emit(rid, None)
        else:
            parent = item.parent()
            self.chosen.emit(parent.data(0, Role)[1] if parent else None, rid)

    def current(self) -> tuple[str, int, str] | None:
        """("c" or "e", its id, the competition's title or the event's trade) of the chosen item."""
        item = self.currentItem()
        if item is None:
            return None
        kind, rid = item.data(0, Role)
        return kind, rid, item.text(0).split("　")[0] if kind == "e" else item.text(0)
