"""A certificate template as data: the page, its background, text fields placed in millimetres.

Plain dataclasses, nothing else: :mod:`.schema` reads and checks them from JSON/TOML data,
:mod:`.template` loads and saves the files, :mod:`.render` draws them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["BORDER_STYLES", "FIELD_LABELS", "Background", "QrBox", "Template", "TextField"]

#: vector borders drawn by the engine (:mod:`reports.certificates.borders`)
BORDER_STYLES: dict[str, str] = {
    "red_classic": "中国红回纹边框",
    "gold_double": "金色双线边框",
    "cloud_corners": "红色祥云边框",
    "blue_simple": "蓝色简洁边框",
}

#: what the usual boxes of a template are called (the editor's field list, the calibration page)
FIELD_LABELS: dict[str, str] = {
    "title": "标题", "salutation": "称呼", "name": "姓名", "unit": "单位", "body": "正文", "award": "奖项",
    "closing": "结束语", "issuer": "发证单位", "date": "日期", "serial": "证书编号", "verify": "校验码", "qr": "二维码",
    "seal": "印章",
}


@dataclass
class TextField:
    """One text box on the page, in millimetres from the page's top-left corner.

    The text shrinks from ``size`` towards ``min_size`` until it fits the box on one line,
    then wraps (a box tall enough for two lines wraps at once, as a paragraph); it never
    overflows. ``spaced_name``: a two-character name in the text gets a full-width gap between
    its characters (张　三) and still extracts as 张三. ``tracking`` spaces every character
    (in ems, for titles); ``leading`` is the line height in font sizes; ``valign`` places
    the text in a box taller than it needs.
    """

    key: str
    text: str
    x: float
    y: float
    w: float
    h: float
    role: str = "body"
    size: float = 16.0
    min_size: float = 8.0
    colour: str = "#000000"
    align: str = "center"
    spaced_name: bool = False
    wrap: bool = True
    valign: str = "middle"
    leading: float = 1.5
    tracking: float = 0.0


@dataclass
class Background:
    """``none``; ``border``: a vector border in ``style`` (:data:`BORDER_STYLES`);
    ``image``: a PNG or JPEG at ``image`` stretched to the page."""

    kind: str = "none"
    style: str = "red_classic"
    image: str | None = None


@dataclass
class QrBox:
    """Where the verification QR goes (mm; ``size`` is the symbol's side, quiet zone
    included); drawn only for a record with a ``verify`` value."""

    x: float
    y: float
    size: float


@dataclass
class Template:
    key: str
    title: str
    page: tuple[float, float] = (210.0, 297.0)
    landscape: bool = False
    background: Background = field(default_factory=Background)
    fields: list[TextField] = field(default_factory=list)
    qr: QrBox | None = None
    overlay: bool = False
    arabic_date: bool = False
    seal: tuple[float, float, float] | None = None
    verify: bool = False  # this template asks for the verification code/QR
    #: addressed to a unit (an organisation or a team: 集体奖状, 牌匾), not to a person (某某同志)
    collective: bool = False

    def size_mm(self) -> tuple[float, float]:
        """(width, height) in mm after orientation."""
        w, h = self.page
        return (h, w) if self.landscape else (w, h)

    def get_field(self, key: str) -> TextField | None:
        return next((f for f in self.fields if f.key == key), None)
