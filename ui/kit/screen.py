"""Every window opens inside the screen's free area, with its buttons in view.

A 1366×768 laptop (1093×614 at 125 %) is the small screen a township office has: the main window
used to open at 1280×800 with its status bar below the edge. :func:`install` (called once by
``ui.app.run_gui``) fits every window and dialog as it is shown, whoever made it:
:func:`fit_to_screen` shrinks it to the screen's free area (keeping room for a taskbar the
platform does not report) and moves it back inside. A window whose content needs more room
than that gets its content put in a scroll area (:func:`scroll_content`: a dialog keeps its
last row, its buttons, below it): no window is ever taller than the screen. Dialogs that know
they can be tall put their body in :func:`scroller` themselves (the settings).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMargins, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QFrame,
    QMainWindow,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

#: Physical pixels a taskbar takes at the bottom of a screen whose platform reports none.
TASKBAR_PX = 40
#: A window's frame (borders and title bar) before the window system has told us its real one.
DEFAULT_FRAME = QMargins(8, 31, 8, 8)


def work_area(screen: QScreen) -> QRect:
    """Where windows may go: the available area; when the platform reports the whole screen as
    available (no work area known), less a taskbar's height at the bottom."""
    area = screen.availableGeometry()
    if area == screen.geometry():
        dpr = screen.devicePixelRatio() or 1.0
        area = area.adjusted(0, 0, 0, -round(TASKBAR_PX / dpr))
    return area


def frame_margins(window: QWidget) -> QMargins:
    """The window's frame: the real one once it is known, else a Windows-sized guess."""
    frame, inner = window.frameGeometry(), window.geometry()
    real = QMargins(inner.left() - frame.left(), inner.top() - frame.top(),
                    frame.right() - inner.right(), frame.bottom() - inner.bottom())
    if real.top() <= 0 and real.left() <= 0:
        return DEFAULT_FRAME
    return real


def fit_to_screen(window: QWidget, screen: QScreen | None = None) -> None:
    """Shrink ``window`` (a top-level widget) to its screen's work area and move it inside it.
    Content that cannot shrink that far is put in a scroll area first (:func:`scroll_content`)."""
    screen = screen or window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return
    area = work_area(screen)
    m = frame_margins(window)
    room_w = area.width() - m.left() - m.right()
    room_h = area.height() - m.top() - m.bottom()
    needed = window.minimumSizeHint().expandedTo(window.minimumSize())
    if (needed.height() > room_h or needed.width() > room_w) and scroll_content(window):
        layout = window.layout()
        if layout is not None:
            layout.activate()  # the window's minimum size follows its new content...
        # ...which a shown window learns on the next turn of the event loop: fit again then.
        QTimer.singleShot(0, window, lambda: fit_to_screen(window))
    geo = window.geometry()
    width = max(min(geo.width(), room_w), window.minimumWidth())
    height = max(min(geo.height(), room_h), window.minimumHeight())
    left_most, top_most = area.left() + m.left(), area.top() + m.top()
    x = max(min(geo.x(), area.right() + 1 - m.right() - width), left_most)
    y = max(min(geo.y(), area.bottom() + 1 - m.bottom() - height), top_most)
    if (x, y, width, height) != (geo.x(), geo.y(), geo.width(), geo.height()):
        window.setGeometry(x, y, width, height)


def scroller(content: QWidget | None = None) -> QScrollArea:
    """A frameless scroll area that resizes ``content`` to its width: what a dialog puts its body
    in so that a small screen scrolls the body and keeps the buttons below it in view."""
    area = QScrollArea()
    area.setObjectName("fittedContent")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    if content is not None:
        area.setWidget(content)
    return area


def scroll_content(window: QWidget) -> bool:
    """Put what a too-tall window shows in a scroll area (once): a main window's central widget;
    a dialog's content above its last row (its buttons). False when there is nothing to do."""
    if window.property("ud_scrolls"):
        return False
    if isinstance(window, QMainWindow):
        central = window.centralWidget()
        if central is None or isinstance(central, QScrollArea):
            return False
        window.setProperty("ud_scrolls", True)
        window.takeCentralWidget()
        window.setCentralWidget(scroller(central))
        return True
    layout = window.layout()
    if not isinstance(layout, QBoxLayout) or layout.direction() != QBoxLayout.Direction.TopToBottom \
            or layout.count() < 2:
        return False
    window.setProperty("ud_scrolls", True)
    body = QWidget()
    column = QVBoxLayout(body)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(layout.spacing())
    for _ in range(layout.count() - 1):  # everything but the last row
        stretch = layout.stretch(0)
        item = layout.takeAt(0)
        if item.widget() is not None:
            column.addWidget(item.widget(), stretch)
        elif item.layout() is not None:
            inner = item.layout()
            inner.setParent(None)  # type: ignore[call-overload]
            column.addLayout(inner, stretch)
        elif item.spacerItem() is not None:
            column.addItem(item.spacerItem())
    layout.insertWidget(0, scroller(body), 1)
    return True


def fits(window: QWidget, screen: QScreen | None = None) -> bool:
    """The window, frame and all, lies inside its screen's work area."""
    screen = screen or window.screen() or QGuiApplication.primaryScreen()
    return screen is None or work_area(screen).contains(window.geometry().marginsAdded(frame_margins(window)))


class _Fitter(QObject):
    """Fits each window as it is shown (before the window system maps it), and again when its
    content makes it grow past the screen (a main window showing a taller page)."""

    KINDS = (Qt.WindowType.Window, Qt.WindowType.Dialog)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.Show, QEvent.Type.Resize) or not isinstance(watched, QWidget):
            return False
        if (not watched.isWindow() or watched.windowType() not in self.KINDS
                or watched.testAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)):
            return False  # a screenshot renders at the size asked for
        if kind == QEvent.Type.Show or (watched.isVisible() and self._too_big(watched)):
            fit_to_screen(watched)
        return False

    @staticmethod
    def _too_big(window: QWidget) -> bool:
        screen = window.screen()
        if screen is None:
            return False
        area = work_area(screen)
        m = frame_margins(window)
        return (window.width() > area.width() - m.left() - m.right()
                or window.height() > area.height() - m.top() - m.bottom())


def install(qapp: QApplication) -> None:
    """Fit every window of ``qapp`` to its screen when it is shown (once per application)."""
    if qapp.property("ud_screen_fit"):
        return
    qapp.installEventFilter(_Fitter(qapp))
    qapp.setProperty("ud_screen_fit", True)
