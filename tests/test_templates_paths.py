"""A certificate template's images must live in its templates folder (issue 10).

A template is data a clerk may receive from anyone: ``background.image`` must not open
``/etc/passwd`` nor embed a picture from elsewhere on the machine.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from PIL import Image

from reports.certificates.template import (
    Background,
    Template,
    TemplateError,
    TextField,
    all_templates,
    load_template,
    save_template,
)


def _template(image: str) -> dict[str, object]:
    return {"key": "paper", "title": "底图证书", "page": [210, 297],
            "background": {"kind": "image", "image": image},
            "fields": [{"key": "name", "text": "{name}", "x": 20, "y": 100, "w": 170, "h": 20}]}


def _write(folder: Path, image: str, name: str = "paper.json") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(_template(image), ensure_ascii=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("image", [
    "/etc/passwd", "../../../x.png", "sub/../../x.png", "..\\..\\x.png", "C:\\Windows\\x.png",
    "\\\\server\\share\\x.png", "~/x.png", "  ",
])
def test_background_image_outside_the_folder_is_refused(tmp_path: Path, image: str) -> None:
    folder = tmp_path / "templates"
    outside = tmp_path / "x.png"
    Image.new("RGB", (8, 8), "red").save(outside)
    path = _write(folder, image)
    with pytest.raises(TemplateError) as info:
        load_template(path)
    message = str(info.value)
    assert "paper.json" in message and "background.image" in message
    if image.strip():
        assert "模板文件夹" in message


def test_a_link_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    outside = tmp_path / "secret.png"
    Image.new("RGB", (8, 8), "red").save(outside)
    (folder / "paper.png").symlink_to(outside)
    with pytest.raises(TemplateError, match="模板文件夹"):
        load_template(_write(folder, "paper.png"))


def test_an_image_inside_the_folder_is_accepted_and_saved_by_name(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    (folder / "images").mkdir(parents=True)
    Image.new("RGB", (8, 8), "red").save(folder / "images" / "paper.png")
    t = load_template(_write(folder, "images/paper.png"))
    assert t.background.image == str((folder / "images" / "paper.png").resolve())
    # Saved again (the editor's 另存为) into the same folder: the name stays relative.
    save_template(t, folder / "copy.json")
    saved = json.loads((folder / "copy.json").read_text(encoding="utf-8"))
    assert saved["background"]["image"] == "images/paper.png"
    assert load_template(folder / "copy.json").background.image == t.background.image


def test_saving_an_outside_image_is_refused(tmp_path: Path) -> None:
    t = Template(key="img", title="图片", background=Background("image", image="/etc/passwd"),
                 fields=[TextField("name", "{name}", 20, 100, 170, 20)])
    with pytest.raises(TemplateError, match=r"background\.image"):
        save_template(t, tmp_path / "templates" / "img.json")
    assert not (tmp_path / "templates" / "img.json").exists()


def test_user_folder_skips_a_template_that_points_outside(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    folder = tmp_path / "templates"
    _write(folder, "/etc/passwd", "evil.json")
    with caplog.at_level(logging.WARNING):
        found = all_templates(folder)
    assert "paper" not in found and "honour" in found
    assert "evil.json" in caplog.text
