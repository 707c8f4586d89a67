"""The HTML report as a reader sees it: rendered to PNG by headless Chromium.

Chromium and a CJK font come from Debian packages that .ci/run installs. Without them these
tests skip locally; under CI (CI=true) they fail instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from planwatch.report.bulletin import build_bulletin
from planwatch.report.charts import OBSERVED, STATUS_COLORS
from planwatch.report.render import FONT_STACK, html


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("Chromium is required under CI (.ci/run installs Debian's chromium)")
    pytest.skip("no Chromium on this machine (apt-get install chromium fonts-noto-cjk)")


def screenshot(page: Path, out: Path, width: int = 1100, height: int = 1600) -> Image.Image:
    subprocess.run([chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--window-size={width},{height}",
                    f"--screenshot={out}", page.as_uri()], check=True, capture_output=True, timeout=120)
    return Image.open(out).convert("RGB")


def _rgb(hex_color: str) -> tuple[int, int, int]:
    return tuple(int(hex_color[i:i + 2], 16) for i in (1, 3, 5))


def count_near(image: Image.Image, color: str, tolerance: int = 24) -> int:
    r0, g0, b0 = _rgb(color)
    data = image.tobytes()
    return sum(1 for i in range(0, len(data), 3)
               if abs(data[i] - r0) <= tolerance and abs(data[i + 1] - g0) <= tolerance and abs(data[i + 2] - b0) <= tolerance)


def test_html_report_renders_its_charts(demo_db, tmp_path):
    page = tmp_path / "report.html"
    page.write_text(html(build_bulletin(demo_db, "1", "2024Q4", "midterm")), encoding="utf-8")
    image = screenshot(page, tmp_path / "report.png", height=4000)
    assert image.getbbox() is not None
    bars = sum(count_near(image, STATUS_COLORS[s]) for s in ("正常", "预警", "滞后", "按期推进"))
    lines = count_near(image, OBSERVED)
    assert bars > 2000, f"status bars barely drawn ({bars} px)"
    assert lines > 300, f"indicator lines barely drawn ({lines} px)"


CJK_PROBE = """<!DOCTYPE html><html><head><meta charset="utf-8"><style>
body {{ margin: 0; background: #fff; font-family: {fonts}; }}
span {{ position: absolute; top: 20px; font-size: 96px; line-height: 1; color: #000; }}
</style></head><body><span style="left:20px">规</span><span style="left:160px">划</span><span style="left:300px">实</span></body></html>"""


def test_cjk_text_renders_as_glyphs_not_boxes(tmp_path):
    page = tmp_path / "probe.html"
    page.write_text(CJK_PROBE.format(fonts=FONT_STACK), encoding="utf-8")
    image = screenshot(page, tmp_path / "probe.png", width=440, height=160)
    crops = [image.crop((x, 20, x + 100, 120)).convert("L") for x in (20, 160, 300)]
    # A missing glyph is the same hollow box for every character; real glyphs differ and have ink inside.
    for a, b in ((0, 1), (1, 2), (0, 2)):
        assert ImageChops.difference(crops[a], crops[b]).getbbox() is not None, "characters render identically: boxes"
    for crop in crops:
        inner = crop.crop((25, 25, 75, 75))
        ink = sum(1 for v in inner.tobytes() if v < 128)
        assert ink > 100, "no strokes inside the character cell: a box, not a glyph"
