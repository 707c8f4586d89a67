"""Charts drawn with matplotlib: readable axes, tooltips where the observations fall, the same
SVG every time, PNG for Word only with a CJK font, and a visible note when there is none."""

from __future__ import annotations

import io
import re
import warnings

import pytest
from PIL import Image

from planwatch.report import charts
from planwatch.report.charts import ChartFontMissing, cjk_face, indicator_chart, indicator_png, status_bars
from planwatch.report.records import ChartSeries, Counts, Rollup

SERIES = ChartSeries("地区生产总值（亿元）", "亿元", observed=((2021, 520.0), (2022, 548.0), (2023.5, 571.0)),
                     base=(2020, 500.0), target=(2025, 650.0), projected=610.0, band=(590.0, 630.0),
                     after_deadline=((2026, 660.0),))

TICK = re.compile(r"<text[^>]*>(\d{4})</text>")
TIP = re.compile(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="7" fill="transparent"><title>([^<]*)</title>')


def test_indicator_svg_has_year_ticks_and_a_tooltip_where_each_observation_falls():
    svg = indicator_chart(SERIES)
    assert svg.startswith('<svg class="chart indicator"') and 'width="560"' in svg
    years = [int(y) for y in TICK.findall(svg)]
    assert years == sorted(years) and {2020, 2023, 2024, 2025, 2026} <= set(years)
    tips = TIP.findall(svg)
    assert [t[2] for t in tips] == ["观测 2021年：520亿元", "观测 2022年：548亿元", "观测 2023.5：571亿元",
                                    "期限后观测 2026年：660亿元", "目标 2025年：650亿元"]
    x = {t[2].split("：")[0]: float(t[0]) for t in tips}
    # The mid-2023 observation sits where it falls: 1.5 year-steps after 2022, as far as 2022 is from 2021 and a half.
    step = x["观测 2022年"] - x["观测 2021年"]
    assert x["观测 2023.5"] - x["观测 2022年"] == pytest.approx(1.5 * step, abs=0.2)
    assert x["目标 2025年"] - x["观测 2021年"] == pytest.approx(4 * step, abs=0.2)
    y = {t[2]: float(t[1]) for t in tips}
    assert y["观测 2021年：520亿元"] > y["目标 2025年：650亿元"]  # higher values are drawn higher (smaller y)
    assert "地区生产总值（亿元）" in svg  # the title is text, drawn by the reader's font


def test_the_legend_names_only_what_is_drawn():
    bare = indicator_chart(ChartSeries("只有观测", "", observed=((2021, 1.0), (2022, 2.0))))
    full = indicator_chart(SERIES)
    assert "观测值" in bare and "目标路径" not in bare and "趋势外推" not in bare
    assert all(word in full for word in ("观测值", "目标路径", "趋势外推", "期限后观测", "目标"))


def test_the_same_chart_gives_the_same_svg_after_others_were_drawn():
    first = indicator_chart(SERIES)
    indicator_chart(ChartSeries("另一项", "%", observed=((2022, 3.0),), target=(2025, 5.0)))
    assert indicator_chart(SERIES) == first


def test_nothing_to_draw_gives_no_chart():
    assert indicator_chart(ChartSeries("空", "", observed=())) == ""
    assert status_bars([], ("正常",), "无") == ""


def test_status_bars_draw_one_segment_per_status_present():
    rows = [Rollup("第一章", "targets", 4, 4, Counts((("正常", 3), ("滞后", 1))), 0, "黄"),
            Rollup("第二章", "targets", 2, 2, Counts((("正常", 2),)), 0, "绿")]
    svg = status_bars(rows, ("正常", "预警", "滞后"), "各章节指标状态")
    green, red = charts.STATUS_COLORS["正常"], charts.STATUS_COLORS["滞后"]
    assert svg.count(f"fill: {green}") == 2 + 1  # two bars and the legend's swatch
    assert svg.count(f"fill: {red}") == 1 + 1
    assert charts.STATUS_COLORS["预警"] not in svg  # a status no unit has is left out of the legend too
    assert "各章节指标状态" in svg and "第一章" in svg


def test_png_needs_a_cjk_font(monkeypatch):
    if cjk_face() is None:
        with pytest.raises(ChartFontMissing, match="fonts-noto-cjk"):
            indicator_png(SERIES)
        return
    image = Image.open(io.BytesIO(indicator_png(SERIES)))
    assert image.size == (1120, 500)  # 5.6 × 2.5 in at 200 dpi
    assert len(image.convert("RGB").getcolors(1 << 20)) > 20
    monkeypatch.setattr(charts, "CJK_FACES", ("A face no machine has",))
    monkeypatch.setattr(charts, "_local", type(charts._local)())
    with pytest.raises(ChartFontMissing):
        indicator_png(SERIES)


def test_word_report_says_where_its_charts_are_missing(demo_db, tmp_path, monkeypatch):
    from docx import Document

    from planwatch.report.bulletin import build_bulletin
    from planwatch.report.render import CHARTS_MISSING, render

    monkeypatch.setattr(charts, "CJK_FACES", ("A face no machine has",))
    monkeypatch.setattr(charts, "_local", type(charts._local)())
    bulletin = build_bulletin(demo_db, "1", "2024Q4", "midterm")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        doc = Document(render(bulletin, "docx", tmp_path / "r.docx"))
    assert any("fonts-noto-cjk" in str(w.message) for w in caught)
    assert len(doc.inline_shapes) == 0
    assert sum(p.text == CHARTS_MISSING for p in doc.paragraphs) == 2
