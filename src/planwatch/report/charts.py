"""Charts drawn with matplotlib: SVG for the HTML editions and the web pages, PNG for Word.

The SVG keeps its text as text (``svg.fonttype = none``), so the reader's own fonts draw the
Chinese labels and no font is embedded. PNG needs a CJK font on this machine (Debian's
fonts-noto-cjk); without one ``png`` raises ``ChartFontMissing`` rather than drawing boxes.

One figure per thread is reused: laying out a new figure, its axes and its legend for every
chart costs twice as much as updating the data of one already laid out, at fixed margins.
"""

from __future__ import annotations

import functools
import io
import logging
import re
import threading
import warnings
from html import escape

import matplotlib

# Faces tried in order for PNG, and named in the SVG for the reader's browser.
CJK_FACES = ("Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC",
             "Noto Serif CJK SC", "AR PL UMing CN")

matplotlib.use("Agg")  # no display here; both backends we draw with are file-only
matplotlib.rcParams["svg.fonttype"] = "none"
matplotlib.rcParams["svg.hashsalt"] = "planwatch"  # the same chart gives the same SVG, run after run
matplotlib.rcParams["axes.unicode_minus"] = False  # U+2212 is missing from some CJK faces

from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import MaxNLocator, ScalarFormatter  # noqa: E402

from .records import ChartSeries, Rollup  # noqa: E402

STATUS_COLORS = {
    "已完成": "#1b5e20", "正常": "#43a047", "按期推进": "#43a047", "预警": "#f9a825", "未启动": "#fbc02d",
    "未报送": "#fb8c00", "滞后": "#c62828", "逾期": "#8e0000", "无数据": "#9e9e9e",
    "需加力": "#f9a825", "进展有限": "#ef6c00", "倒退": "#c62828", "逾期未完成": "#8e0000",
}
OBSERVED, TARGET, PATH, PROJECTED, LATE = "#1565c0", "#c62828", "#9e9e9e", "#ef6c00", "#78909c"
LEGEND_CHAR = 0.0215  # an 8 pt CJK character's width as a share of the indicator chart's width
INDICATOR_SIZE = (5.6, 2.5)  # inches; at 100 dpi the 560 × 250 px of the HTML grid
SVG_DPI, PNG_DPI = 100, 200  # PNG at twice the pixels: sharp when printed

# The faces the SVG names for the reader's browser (the HTML editions' own stack).
SVG_FONTS = "'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', 'Microsoft YaHei', 'PingFang SC', sans-serif"
FONT_FAMILY = re.compile(r"font-family: [^;\"]*")

# Nothing matplotlib logs about a face it lacks is news: the SVG names faces for the browser.
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)


class ChartFontMissing(RuntimeError):
    """No CJK font on this machine: a PNG chart would show boxes instead of Chinese."""


def cjk_face() -> str | None:
    from matplotlib import font_manager

    have = {f.name for f in font_manager.fontManager.ttflist}
    return next((face for face in CJK_FACES if face in have), None)


def _family(for_png: bool) -> list[str]:
    """The one face matplotlib lays text out with: looking up faces this machine lacks, for every
    text of every chart, cost a third of the drawing time. The SVG names the full stack instead."""
    face = cjk_face()
    if for_png and face is None:
        raise ChartFontMissing("no CJK font for the charts: install one (Debian: apt-get install fonts-noto-cjk)")
    family = [face or "DejaVu Sans"]
    matplotlib.rcParams["font.sans-serif"] = family  # tick labels too
    return family


class _IndicatorFigure:
    """One laid-out figure whose artists take each chart's data in turn."""

    def __init__(self, family: list[str]):
        self.figure = Figure(figsize=INDICATOR_SIZE, dpi=SVG_DPI, facecolor="white")
        ax = self.ax = self.figure.add_axes((0.1, 0.12, 0.87, 0.66))
        self.band = None
        self.path, = ax.plot([], [], ls="--", lw=1.6, color=PATH, label="目标路径")
        self.projected, = ax.plot([], [], ls="--", lw=1.6, color=PROJECTED, label="趋势外推")
        self.observed, = ax.plot([], [], marker="o", ms=4.5, lw=2, color=OBSERVED, label="观测值")
        self.late, = ax.plot([], [], ls="none", marker="o", ms=5, mfc="white", mec=LATE, label="期限后观测")
        self.target, = ax.plot([], [], ls="none", marker="*", ms=11, color=TARGET, label="目标")
        # Title and legend at fixed places in the figure: matplotlib's own title and legend lay
        # themselves out against the axes on every draw, 40% of the drawing time.
        self.title = self.figure.text(0.1, 0.94, "", fontsize=10.5, fontweight="bold", family=family, va="top")
        self.keys = []
        for line in (self.observed, self.late, self.path, self.projected, self.target):
            key = Line2D([0, 0.0175, 0.035], [0.83] * 3, transform=self.figure.transFigure, ls=line.get_linestyle(), lw=line.get_linewidth(),
                         color=line.get_color(), marker=line.get_marker(), markevery=[1] if line.get_marker() != "None" else None,
                         ms=line.get_markersize(), mfc=line.get_markerfacecolor(), mec=line.get_markeredgecolor())
            label = self.figure.text(0, 0.83, line.get_label(), fontsize=8, family=family, va="center")
            self.figure.add_artist(key)
            self.keys.append((line, key, label))
        ax.grid(axis="y", color="#eeeeee")
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(labelsize=8.5)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=8, integer=True))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
        formatter = ScalarFormatter(useOffset=False)
        formatter.set_scientific(False)
        ax.yaxis.set_major_formatter(formatter)

    def draw(self, c: ChartSeries) -> bool:
        obs, late = list(c.observed), list(c.after_deadline)
        start = [c.base] if c.base else []
        self.observed.set_data(*_xy(start + obs))
        self.late.set_data(*_xy(late))
        self.target.set_data(*_xy([c.target] if c.target else []))
        self.path.set_data(*_xy([c.base, c.target] if c.base and c.target and c.path else []))
        reach = c.projected is not None and c.target and obs
        self.projected.set_data(*_xy([obs[-1], (c.target[0], c.projected)] if reach else []))
        if self.band is not None:
            self.band.remove()
            self.band = None
        if reach and c.band:
            x0, y0 = obs[-1]
            self.band = self.ax.fill_between([x0, c.target[0]], [y0, c.band[0]], [y0, c.band[1]], color=PROJECTED, alpha=0.15, lw=0)
        self.title.set_text(c.title)
        points = start + obs + late + ([c.target] if c.target else [])
        if reach:
            points.append((c.target[0], c.projected))
            if c.band:
                points += [(c.target[0], c.band[0]), (c.target[0], c.band[1])]
        if not points:
            return False
        self._legend()
        xs, ys = _xy(points)
        low, high = min(ys), max(ys)
        pad = (high - low) * 0.12 or abs(high) * 0.1 or 1.0
        self.ax.set_xlim(min(xs) - 0.4, max(xs) + 0.4)
        self.ax.set_ylim(low - pad, high + pad)
        return True


    def _legend(self) -> None:
        """The legend names what this chart draws, left to right, each key as wide as its words."""
        x = 0.1
        for line, key, label in self.keys:
            shown = bool(len(line.get_xdata()))
            key.set_visible(shown)
            label.set_visible(shown)
            if shown:
                key.set_xdata([x, x + 0.0175, x + 0.035])
                label.set_x(x + 0.045)
                x += 0.045 + LEGEND_CHAR * len(label.get_text()) + 0.03


_local = threading.local()


def _indicator_figure(for_png: bool) -> _IndicatorFigure:
    key = "png" if for_png else "svg"
    fig = getattr(_local, key, None)
    if fig is None:
        fig = _IndicatorFigure(_family(for_png))
        setattr(_local, key, fig)
    return fig


def _xy(points) -> tuple[list[float], list[float]]:
    return [p[0] for p in points], [p[1] for p in points]


@functools.lru_cache(maxsize=1024)
def indicator_chart(c: ChartSeries) -> str:
    """Baseline, observations, the straight path to the target and the projection with its band,
    as SVG with a tooltip on every observation; "" when there is nothing to draw.

    The same series always draws the same SVG, so it is drawn once (an item page viewed again,
    a report built again): 30 ms of layout become a dictionary look-up."""
    fig = _indicator_figure(for_png=False)
    if not fig.draw(c):
        return ""
    svg = _svg(fig.figure, "chart indicator", f"{c.title}走势")
    return _with_tooltips(svg, fig, c)


def indicator_png(c: ChartSeries) -> bytes | None:
    fig = _indicator_figure(for_png=True)
    return _png(fig.figure) if fig.draw(c) else None


def status_bars(rows: list[Rollup], order: tuple[str, ...], title: str) -> str:
    """One stacked bar per unit (chapter or department): how many items in each status."""
    figure = _bars(rows, order, title, for_png=False)
    return _svg(figure, "chart bars", title) if figure else ""


def status_png(rows: list[Rollup], order: tuple[str, ...], title: str) -> bytes | None:
    figure = _bars(rows, order, title, for_png=True)
    return _png(figure) if figure else None


def _bars(rows: list[Rollup], order: tuple[str, ...], title: str, for_png: bool) -> Figure | None:
    if not rows:
        return None
    family = _family(for_png)
    # Fixed room per bar and for the labels, so a long list grows the figure, not the crowding.
    height = 1.0 + 0.3 * len(rows)
    figure = Figure(figsize=(6.4, height), dpi=SVG_DPI, facecolor="white")
    figure.text(0.02, 1 - 0.12 / height, title, va="top", fontsize=10.5, fontweight="bold", family=family)
    ax = figure.add_axes((0.3, 0.35 / height, 0.66, 1 - 1.0 / height))
    names = [_short(r.name) for r in rows]
    at = [len(rows) - 1 - i for i in range(len(rows))]  # the first unit on top
    left = [0] * len(rows)
    shown = [s for s in order if any(r.counts.get(s, 0) for r in rows)]
    for status in shown:
        counts = [r.counts.get(status, 0) for r in rows]
        drawn = [i for i, n in enumerate(counts) if n]  # no zero-width segments in the SVG
        ax.barh([at[i] for i in drawn], [counts[i] for i in drawn], left=[left[i] for i in drawn], height=0.7,
                color=STATUS_COLORS.get(status, "#607d8b"), label=status)
        left = [a + b for a, b in zip(left, counts, strict=True)]
    ax.set_yticks(at, names)
    for label in ax.get_yticklabels():
        label.set_family(family)
    ax.tick_params(labelsize=8.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.legend(loc="lower left", bbox_to_anchor=(0, 1.0), ncols=max(1, len(shown)), frameon=False,
              prop={"family": family, "size": 8}, handlelength=1.0, columnspacing=0.8, borderaxespad=0.2)
    return figure


def _short(name: str, n: int = 14) -> str:
    return name if len(name) <= n else name[: n - 1] + "…"


ROOT = re.compile(r"<svg\b([^>]*)>")
DIMENSION = re.compile(r'\s(width|height)="([\d.]+)pt"')


def _svg(figure: Figure, css_class: str, label: str) -> str:
    buf = io.StringIO()
    with warnings.catch_warnings():
        # Glyph metrics without a CJK font are estimates; the browser draws the text.
        warnings.simplefilter("ignore", UserWarning)
        figure.savefig(buf, format="svg", dpi=SVG_DPI, metadata={"Date": None, "Creator": "planwatch"})
    text = FONT_FAMILY.sub("font-family: " + SVG_FONTS, buf.getvalue())
    body = text[text.index("<svg"):]
    # Pixel sizes (at 100 dpi) in place of points, a class for the page's CSS and a name for screen readers.
    head = ROOT.match(body)
    attrs = DIMENSION.sub(lambda m: f' {m[1]}="{round(float(m[2]) * SVG_DPI / 72)}"', head[1])
    return f'<svg class="{css_class}" role="img" aria-label="{escape(label)}"{attrs}>' + body[head.end():]


def _png(figure: Figure) -> bytes:
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # a missing glyph is a failure, not a box
        figure.savefig(buf, format="png", dpi=PNG_DPI)
    return buf.getvalue()


def _with_tooltips(svg: str, fig: _IndicatorFigure, c: ChartSeries) -> str:
    """Hover targets over the observations and the target: a circle with a <title> each, placed in
    the SVG's own coordinates (points; y from the top), so no script is needed."""
    height = fig.figure.bbox.height
    scale = 72 / fig.figure.dpi
    marks = []
    unit = c.unit or ""
    labelled = [(p, "观测") for p in c.observed] + [(p, "期限后观测") for p in c.after_deadline]
    labelled += [(c.target, "目标")] if c.target else []
    for (x, y), what in labelled:
        px, py = fig.ax.transData.transform((x, y))
        year = f"{x:.0f}年" if float(x).is_integer() else f"{x:g}"
        marks.append(f'<circle cx="{px * scale:.1f}" cy="{(height - py) * scale:.1f}" r="7" fill="transparent">'
                     f"<title>{escape(what)} {year}：{y:g}{escape(unit)}</title></circle>")
    return svg.replace("</svg>", "".join(marks) + "</svg>") if marks else svg
