"""Charts as inline SVG: the reader's own fonts draw the Chinese labels, so no CJK font has to
be embedded or installed to make them, and they stay sharp when printed."""

from __future__ import annotations

from html import escape

from .records import ChartSeries, Rollup

STATUS_COLORS = {
    "已完成": "#1b5e20", "正常": "#43a047", "按期推进": "#43a047", "预警": "#f9a825", "未启动": "#fbc02d",
    "未报送": "#fb8c00", "滞后": "#c62828", "逾期": "#8e0000", "无数据": "#9e9e9e",
    "需加力": "#f9a825", "进展有限": "#ef6c00", "倒退": "#c62828", "逾期未完成": "#8e0000",
}
OBSERVED, TARGET, PATH, PROJECTED = "#1565c0", "#c62828", "#9e9e9e", "#ef6c00"


def indicator_chart(c: ChartSeries, width: int = 560, height: int = 240) -> str:
    """Baseline, observations, the straight path to the target and the projection, for one target."""
    obs = list(c.observed)
    points = obs + list(c.after_deadline) + ([c.base] if c.base else []) + ([c.target] if c.target else [])
    if c.projected is not None and c.target:
        points.append((c.target[0], c.projected))
    if not points:
        return ""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    box = _Box(width, height, min(xs), max(xs), min(ys), max(ys))
    parts = [box.frame(), box.title(c.title)]
    if c.base and c.target and c.path:
        parts.append(box.line([c.base, c.target], PATH, dash=True, label="目标路径"))
    if obs:
        parts.append(box.line(([c.base] if c.base else []) + obs, OBSERVED, label="观测值"))
        parts += [box.dot(px, py, OBSERVED) for px, py in obs]
    if c.projected is not None and c.target and obs:
        parts.append(box.line([obs[-1], (c.target[0], c.projected)], PROJECTED, dash=True, label="趋势外推"))
    if c.target:
        parts.append(box.dot(*c.target, TARGET, r=5))
    parts.append(_legend(width))
    return box.svg("".join(parts), f"{c.title}走势")


def _legend(width: int) -> str:
    items = (("观测值", OBSERVED, ""), ("目标路径", PATH, ' stroke-dasharray="4 3"'), ("趋势外推", PROJECTED, ' stroke-dasharray="4 3"'))
    x = width - 16 - 74 * len(items) - 40
    out = []
    for i, (name, color, dash) in enumerate(items):
        left = x + i * 74
        out.append(f'<line x1="{left}" y1="30" x2="{left + 18}" y2="30" stroke="{color}" stroke-width="2.5"{dash}/>'
                   f'<text x="{left + 22}" y="34" font-size="11">{name}</text>')
    left = x + len(items) * 74
    out.append(f'<circle cx="{left + 5}" cy="30" r="4" fill="{TARGET}"/><text x="{left + 12}" y="34" font-size="11">目标</text>')
    return "".join(out)


def status_bars(rows: list[Rollup], order: tuple[str, ...], width: int = 640) -> str:
    """One stacked bar per unit (chapter or department): how many items in each status."""
    if not rows:
        return ""
    label_w, bar_h, gap = 190, 18, 8
    height = 40 + len(rows) * (bar_h + gap)
    most = max(r.counts.total for r in rows) or 1
    scale = (width - label_w - 20) / most
    parts = []
    for i, r in enumerate(rows):
        y = 30 + i * (bar_h + gap)
        parts.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" font-size="12">{escape(_short(r.name))}</text>')
        x = label_w
        for status in order:
            n = r.counts.get(status, 0)
            if n:
                w = n * scale
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{STATUS_COLORS.get(status, "#607d8b")}">'
                             f'<title>{escape(status)} {n}</title></rect>')
                x += w
    legend = "".join(
        f'<rect x="{label_w + i * 70}" y="6" width="10" height="10" fill="{STATUS_COLORS.get(s, "#607d8b")}"/>'
        f'<text x="{label_w + i * 70 + 14}" y="15" font-size="11">{escape(s)}</text>' for i, s in enumerate(order))
    return (f'<svg class="chart bars" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="状态分布">{legend}{"".join(parts)}</svg>')


def _short(name: str, n: int = 14) -> str:
    return name if len(name) <= n else name[: n - 1] + "…"


class _Box:
    """Data → pixel coordinates inside a padded plotting area."""

    def __init__(self, width: int, height: int, x_min: float, x_max: float, y_min: float, y_max: float):
        self.w, self.h = width, height
        self.left, self.right, self.top, self.bottom = 56, 16, 42, 28
        pad = (y_max - y_min) * 0.1 or abs(y_max) * 0.1 or 1
        self.x_min, self.x_max = x_min - 0.3, x_max + 0.3
        self.y_min, self.y_max = y_min - pad, y_max + pad

    def x(self, v: float) -> float:
        return self.left + (v - self.x_min) / (self.x_max - self.x_min) * (self.w - self.left - self.right)

    def y(self, v: float) -> float:
        return self.h - self.bottom - (v - self.y_min) / (self.y_max - self.y_min) * (self.h - self.top - self.bottom)

    def frame(self) -> str:
        ticks = []
        for year in range(int(self.x_min) + 1, int(self.x_max) + 1):
            ticks.append(f'<text x="{self.x(year):.1f}" y="{self.h - 8}" text-anchor="middle" font-size="11">{year}</text>')
        for k in range(5):
            v = self.y_min + (self.y_max - self.y_min) * k / 4
            ticks.append(f'<text x="{self.left - 6}" y="{self.y(v) + 4:.1f}" text-anchor="end" font-size="11">{v:.4g}</text>'
                         f'<line x1="{self.left}" x2="{self.w - self.right}" y1="{self.y(v):.1f}" y2="{self.y(v):.1f}" stroke="#eee"/>')
        axis = (f'<line x1="{self.left}" y1="{self.h - self.bottom}" x2="{self.w - self.right}" y2="{self.h - self.bottom}" stroke="#555"/>'
                f'<line x1="{self.left}" y1="{self.top}" x2="{self.left}" y2="{self.h - self.bottom}" stroke="#555"/>')
        return "".join(ticks) + axis

    def title(self, text: str) -> str:
        return f'<text x="{self.left}" y="18" font-size="13" font-weight="bold">{escape(text)}</text>'

    def line(self, points, color: str, dash: bool = False, label: str = "") -> str:
        coords = " ".join(f"{self.x(px):.1f},{self.y(py):.1f}" for px, py in points)
        style = ' stroke-dasharray="6 4"' if dash else ""
        return f'<polyline points="{coords}" fill="none" stroke="{color}" stroke-width="2.5"{style}><title>{escape(label)}</title></polyline>'

    def dot(self, px: float, py: float, color: str, r: int = 4) -> str:
        return f'<circle cx="{self.x(px):.1f}" cy="{self.y(py):.1f}" r="{r}" fill="{color}"><title>{py:g}</title></circle>'

    def svg(self, body: str, label: str) -> str:
        return (f'<svg class="chart indicator" xmlns="http://www.w3.org/2000/svg" width="{self.w}" height="{self.h}" '
                f'viewBox="0 0 {self.w} {self.h}" role="img" aria-label="{escape(label)}">{body}</svg>')
