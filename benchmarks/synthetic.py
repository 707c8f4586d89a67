"""A fictional plan of any size, written in the style of a district five-year plan, for
benchmarks that need thousands of tasks and targets (never corpus text)."""

from __future__ import annotations

from pathlib import Path

CN = "一二三四五六七八九十"
PLACES = ("城区", "乡村", "园区", "社区", "校园", "河道", "商圈", "街区", "新城", "老城")
MEASURES = (("绿化覆盖率", "%", 40), ("污水处理率", "%", 90), ("垃圾分类覆盖率", "%", 80), ("公共充电桩", "个", 300),
            ("养老床位", "张", 500), ("口袋公园", "个", 12), ("普惠托位", "个", 200), ("停车泊位", "个", 1500))
TASKS = ("推进", "建设", "完善", "提升", "优化")


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 35 → 三十五 (enough for chapter and item numbers)."""
    if n <= 10:
        return CN[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN[tens - 1]) + "十" + (CN[ones - 1] if ones else "")


def plan_text(chapters: int, sections: int = 5, items: int = 10, title: str = "临河区城市更新行动计划(2021—2025年)",
              target_every: int = 1) -> str:
    """A plan of chapters × sections × items tasks; every ``target_every``-th task states a target."""
    lines = [title, "临河区人民政府"]
    n = 0
    for c in range(1, chapters + 1):
        lines.append(f"第{cn_number(c)}章 {PLACES[c % len(PLACES)]}更新第{cn_number(c)}片区")
        for s in range(1, sections + 1):
            lines.append(f"第{cn_number(s)}节 {TASKS[s % len(TASKS)]}片区功能{cn_number(s)}")
            for i in range(1, items + 1):
                n += 1
                place = PLACES[(n // len(MEASURES)) % len(PLACES)]
                measure, unit, base = MEASURES[n % len(MEASURES)]
                value = base + n % 7
                lines.append(f"{cn_number(i)}、{TASKS[i % len(TASKS)]}{place}{measure}工作")
                if n % target_every == 0:
                    lines.append(f"到2025年,{place}{measure}达到{value}{unit}。区城市更新局牵头,2024年底前完成。")
                else:
                    lines.append("区城市更新局牵头,2024年底前完成片区综合整治。")
    return "\n".join(lines) + "\n"


def write_plan(path: Path, chapters: int, **kw) -> Path:
    path.write_text(plan_text(chapters, **kw), encoding="utf-8")
    return path
