"""SVG charts as PNG images, for formats that cannot hold SVG (Word), drawn by headless
Chromium so the Chinese labels come out in the machine's CJK fonts.

All charts go on one page and one screenshot (Chromium starts once), cut apart afterwards.
Without Chromium this returns None and the caller says where the charts are instead.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SCALE = 2  # device pixels per CSS pixel: sharp enough to print
SIZE = re.compile(r'<svg[^>]*\bwidth="(\d+)"[^>]*\bheight="(\d+)"')


def browser() -> str | None:
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def svgs_to_png(svgs: list[str], font_stack: str) -> list[bytes] | None:
    exe = browser()
    if exe is None or not svgs:
        return None
    from PIL import Image

    sizes = [tuple(int(v) for v in SIZE.search(svg).groups()) for svg in svgs]
    width = max(w for w, _ in sizes)
    tops, y = [], 0
    for _, h in sizes:
        tops.append(y)
        y += h
    page = "".join(f'<div style="position:absolute;left:0;top:{top}px">{svg}</div>' for top, svg in zip(tops, svgs, strict=True))
    html = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{{margin:0;background:#fff;font-family:{font_stack}}}'
            f"</style></head><body>{page}</body></html>")
    with tempfile.TemporaryDirectory() as tmp:
        src, shot = Path(tmp) / "charts.html", Path(tmp) / "charts.png"
        src.write_text(html, encoding="utf-8")
        try:
            subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--force-device-scale-factor={SCALE}",
                            f"--window-size={width},{y}", f"--screenshot={shot}", src.as_uri()], check=True, capture_output=True, timeout=180)
        except (subprocess.SubprocessError, OSError):
            return None
        image = Image.open(shot).convert("RGB")
    out = []
    for (w, h), top in zip(sizes, tops, strict=True):
        buf = io.BytesIO()
        image.crop((0, top * SCALE, w * SCALE, (top + h) * SCALE)).save(buf, "PNG")
        out.append(buf.getvalue())
    return out
