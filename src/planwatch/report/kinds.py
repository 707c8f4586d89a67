"""The kinds of report the office writes, in a module of its own: the CLI's option choices need
them without loading the records (thirty dataclasses cost 35 ms to create at import)."""

# Every evaluation the plans name: 进展情况通报, 年度监测报告, 中期评估, 总结评估, 向人大报告规划实施情况
KINDS = {"quarterly": "实施进展情况通报", "annual": "年度监测报告", "midterm": "中期评估报告", "final": "总结评估报告",
         "npc": "实施情况的报告"}
