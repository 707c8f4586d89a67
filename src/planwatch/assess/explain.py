"""Explanations people read: the inputs, each formula with its numbers, the thresholds, the
criterion that decided the status and the vintages used, as a Chinese text block; and the
one-paragraph description of a plan's method that reports print."""

from __future__ import annotations

from .records import fmt
from .settings import Thresholds
from .status import label_map

COMPARATORS = {">=": "不低于", ">": "高于", "<=": "不高于", "<": "低于", "~": "左右", "=": "达到"}
TYPES = {"level": "水平值", "annual_growth": "年均增速", "increase": "累计新增量", "decrease": "累计减少量", "monitor": "监测指标（无数值目标）"}
METHODS = {"statcan": "统计加拿大/Open SDG 进展测度（statcan）", "cn-midterm": "完成进度对照序时进度（cn-midterm）",
           "task": "任务进度（按审核通过的报送与时限）"}
VINTAGES = {"preliminary": "初步核算", "revised": "修订", "final": "最终核实"}


def method_description(settings: dict | Thresholds) -> str:
    """How the plan's statuses are decided, in the words of a report."""
    th = settings if isinstance(settings, Thresholds) else Thresholds.from_dict(settings)
    lab = label_map(th.labels)
    scale = (f"{lab['achieved']}：最新值达到目标；{lab['on_track']}：R ≥ {th.on_track:g}；{lab['accelerate']}：{th.at_risk:g} ≤ R < {th.on_track:g}；"
             f"{lab['limited']}：0 ≤ R < {th.at_risk:g}；{lab['deterioration']}：R < 0")
    if th.method == "statcan":
        head = ("采用统计加拿大可持续发展目标进展测度（Open SDG 实现）：R = 实际年均增长率 / 实现目标所需年均增长率"
                "（自基期年至最新观测年，按期望方向取号）。")
    else:
        head = (f"采用完成进度对照序时进度：完成度 c = (x − x0)/(xT − x0)，序时进度 e = (t − t0)/(T − t0)，"
                f"趋势外推为近年加权最小二乘（每早一年权重乘以 {th.recency:g}），R 取 c/e 与预测完成度之较大者；c ≥ e 为{lab['on_track']}。")
    return (head + scale + f"。目标年观测值未达目标为{lab['overdue']}（其后的观测值不改变结论）；无数值目标的监测指标按实际年均增长率"
            f"对照 {th.growth_high:.1%} / {th.growth_med:.1%} / 0 评定；“左右”目标容差 ±{th.tolerance:.0%}；"
            f"观测不足为{lab['no_data']}。约束性指标未达{lab['on_track']}一律红色预警。")


def explain_text(item: dict) -> str:
    """The readable block for one assessed target or task (an item of ``assess_data``)."""
    if "explanation" not in item:
        return _task_text(item)
    e, n = item["explanation"], item["numbers"]
    inp = e["inputs"]
    lines = [f"{item['ref']} {item['metric']}：{item['status']}" + ("（约束性指标，红色预警）" if item["red"] else ""),
             f"评估方法：{METHODS.get(e['method'], e['method'])}",
             f"判定依据：{e['criterion']}", "", "一、输入"]
    target = "无数值目标" if inp["target"] is None else f"{COMPARATORS.get(inp['comparator'], '')} {fmt(inp['target'])}{inp['unit']}"
    lines += [f"  目标：{target}（{TYPES.get(inp['type'], inp['type'])}），目标年份 {fmt(inp['target_year'])}",
              f"  基期：{fmt(inp['baseline_year'])}年 {fmt(inp['baseline'])}；期望方向：{'上升' if inp['direction'] > 0 else '下降'}"
              + (f"；目标区间 {fmt(inp['band'][0])}—{fmt(inp['band'][1])}" if inp.get("band") else "")
              + (f"；自然极限 {fmt(inp['limit'])}" if inp.get("limit") is not None else ""),
              f"  评估时点：{fmt(inp['as_of'])}（年末计）；判定所用观测：{_latest(n)}"]
    lines += ["  计入的观测值：" + ("；".join(_obs(o) for o in e["observations"]) or "无")]
    if e.get("after_deadline"):
        lines.append("  目标年之后的观测值（不计入）：" + "；".join(_obs(o) for o in e["after_deadline"]))
    if e.get("breaches"):
        lines.append("  曾未达标年份：" + "、".join(f"{t:g}" for t in e["breaches"]))
    steps = [f"  {s['name']}：{s['formula']}" + (f"\n      = {s['filled']}" if s["filled"] else "") for s in e["steps"]]
    lines += ["", "二、计算"] + (steps or ["  （无：判定不需计算）"])
    lines += ["", "三、阈值", "  " + "；".join(f"{k} = {fmt(v)}" for k, v in _used_thresholds(e).items())]
    lines += ["", "四、口径与来源", "  口径：" + ("、".join(VINTAGES.get(v, v) for v in e.get("vintages", [])) or "无")]
    lines += [f"  观测 #{s['observation']}：{s['year']}{('（' + s['period'] + '）') if s.get('period') else ''} {fmt(s['value'])}，"
              f"{s['source']}{('：' + s['ref']) if s.get('ref') else ''}，{VINTAGES.get(s['vintage'], s['vintage'])}"
              + ("" if s.get("counted", True) else "（未计入）") for s in e.get("sources", [])]
    if e["notes"]:
        lines += ["", "五、说明"] + [f"  · {note}" for note in e["notes"]]
    return "\n".join(lines)


def _used_thresholds(e: dict) -> dict:
    keys = ("on_track", "at_risk", "limited", "high", "med", "low", "C", "recency", "tolerance")
    th = e.get("thresholds", {})
    return {k: th[k] for k in keys if k in th and not isinstance(th[k], (str, dict))}


def _latest(n: dict) -> str:
    return "无" if n.get("latest") is None else f"{fmt(n['latest_t'])}年 {fmt(n['latest'])}"


def _obs(o: dict) -> str:
    return f"{o['t']:g}年 {fmt(o['value'])}（{VINTAGES.get(o['vintage'], o['vintage'])}）"


def _task_text(item: dict) -> str:
    lines = [f"{item['ref']} {item['title']}：{item['status']}", f"评估方法：{METHODS['task']}", f"判定依据：{item['reason']}",
             f"牵头单位：{item.get('lead') or '未分配'}；时限：{', '.join(d.isoformat() for d in item.get('deadlines', [])) or '无'}",
             f"最近报送：#{item['report_id']}，完成比例 {fmt(item['percent'])}%" if item.get("report_id") else "最近报送：无"]
    return "\n".join(lines)
