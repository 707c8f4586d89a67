"""The language of plans, as data: units, qualifiers, verbs, deadlines and not-a-record filters.

Adding a unit or a verb is editing a tuple here; ``tests/test_extract_patterns.py`` runs
over them. All patterns run on normalised text (simplified script, half-width forms).
"""

from __future__ import annotations

import re

from ..regexes import compiled

# Measure words and units, longest first so 平方公里 wins over 公里 and 万亩 over 亩.
BASE_UNITS = (
    "个百分点", "百分点", "个千分点", "千分点", "微克/立方米", "万元/人", "元/人", "人/百亿元", "平方公里", "平方千米", "平方米", "立方米",
    "公顷", "公里", "千米", "千瓦时", "千瓦", "兆瓦", "吨标准煤", "吨", "美元", "元",
    "分钟", "小时", "人次", "个月", "%", "‰",
    # service times (企业开办时间压缩至1个工作日, 审批时限缩短到5天: 天 only after such a time)
    "个工作日", "工作日",
    "个", "家", "所", "座", "条", "项", "件", "处", "套", "户", "人", "名", "辆", "台", "张", "床",
    "场", "栋", "幢", "间", "株", "米", "亩", "部", "站", "兆", "册",
    # livestock counted by head (生猪出栏312万头, 家禽存栏2000万只)
    "头", "只",
    # research staff in full-time equivalents (研发人员全时当量2.1万人年)
    "人年",
    # tenths as a share (市场份额超过四成)
    "成",
    # prices per unit (电价下降1分/千瓦时), grain by weight, trains run, teams, containers
    "分/千瓦时", "分/立方米", "元/千瓦时", "元/立方米", "元/吨", "公斤", "斤", "列", "支", "标准箱", "标箱", "艘", "架",
    # computing power, bandwidth, storage and power written in Latin letters (智能算力达到5000PFlops)
    "EFlops", "PFlops", "TFlops", "EFLOPS", "PFLOPS", "TFLOPS", "Tbps", "Gbps", "Mbps", "GWh", "MWh", "kWh", "GW", "MW", "kW",
    "PB", "TB",
)
MAGNITUDES = ("万亿", "千万", "百万", "亿", "万", "千", "百")
UNSCALED = ("%", "‰", "个百分点", "百分点", "个千分点", "千分点", "成")  # never written after 万 or 亿
UNITS = tuple(sorted({m + u for m in MAGNITUDES for u in BASE_UNITS if u not in UNSCALED} | set(BASE_UNITS) | {"万亿", "亿", "万"}, key=len, reverse=True))


def _longest_first(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# UNITS as a pattern, factored as magnitude + unit: it matches what the alternation of every
# unit in UNITS matches (the longest), and compiles in a fifth of the time (6 ms of start-up).
UNIT_PATTERN = (f"(?:(?:{_longest_first(MAGNITUDES)})(?:{_longest_first(u for u in BASE_UNITS if u not in UNSCALED)})"
                f"|{_longest_first(BASE_UNITS)}|万亿|亿|万)")
# Units that count things built or added; with them an unqualified figure is an increase.
COUNT_UNITS = ("个", "家", "所", "座", "条", "项", "件", "处", "套", "户", "辆", "台", "张", "床", "批", "场", "栋", "幢", "间", "株", "棵", "部", "站", "名")

NUMBER = r"\d+(?:\.\d+)?"
CN_NUMBER = "零〇一二两三四五六七八九十百千万"
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
# A value: arabic (1,000 / 2.6 / 3-5) or Chinese (十二 / 两), with 余/多 allowed before the unit.
VALUE = compiled(
    rf"(?P<pre>超过|突破|不低于|不少于|不超过|不高于|低于|高于|至少|接近|约|近|超|过|达)?"
    # a minus sign only where no digit or letter comes before it (人口自然增长率为-1.24‰; not 2021-2025)
    rf"(?P<neg>(?<![0-9A-Za-z.%‰万亿千])-(?=\d))?"  # 5%-6%, 2万-3万人: a range, not a negative
    rf"(?P<num>(?:\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|{NUMBER})(?:\s*[-~—至到]\s*{NUMBER})?|[{CN_NUMBER}]{{1,5}})"
    rf"(?P<approx>余|多)?(?P<unit>{UNIT_PATTERN})?"
)
# Years of life or schooling (人均预期寿命达到80.5岁, 平均受教育年限提高到11.5年): 岁 and 年 are units
# only after such an indicator and its verb; elsewhere 3岁以下 names a group and 3年 is a span.
LIFESPAN_BEFORE = compiled(r"(?:寿命|年限|年数)[^,;。]{0,6}?(?:达到|提高到|提升到|增加到|延长到|提高|提升|增加|延长|达|为|超过|稳定在|保持在)$")
LIFESPAN_UNIT = compiled(r"(岁|年)(?!的|龄|级|期)")
# Days as the time a service takes (审批时间压缩至5天, 办理时限不超过3天); elsewhere 7天 names things.
DURATION_BEFORE = compiled(r"(?:时间|时限|用时|时长|周期|天数)[^,;。]{0,6}?(?:压缩至|压缩到|压减至|压减到|缩短至|缩短到|缩减至|减少至|减少到|"
                           r"降至|降到|控制在|不超过|达到|达|超过|保持在|稳定在|为|在)$")
DURATION_UNIT = compiled(r"(天)(?!然|津|地|下|空|河|坛)")
# Units written by context, each with what must come before the number: (before, unit).
CONTEXT_UNITS = ((LIFESPAN_BEFORE, LIFESPAN_UNIT), (DURATION_BEFORE, DURATION_UNIT))
# 翻一番 / 翻两番: doubling, value 1 (or 2), unit 番 (GUIDE).
DOUBLING = compiled(r"翻(?P<num>[一两二三四])番")
# N大 + noun: 12大场景, 五大商圈 (unit "", the counted thing goes into the metric).
BIG_N = compiled(r"(?P<num>\d{1,3}|[二两三四五六七八九十]{1,3})大(?=[\u4e00-\u9fff]{2})")
# 千亿级园区, 百亿级企业: value 1000 / 100, unit 亿元, comparator >=.
# 千万级 alone counts anything (千万级集装箱泊位); money in 万 says 元 (千万元级).
MAGNITUDE_CLASS = compiled(r"(?P<num>[十百千万])(?:(?P<mag>亿)元?|(?P<mag2>万)元)级")
# A count's alternate measure word after it: 14.2万台(套), 25.1万套(间).
UNIT_ALTERNATE = compiled(r"\(([个台套间户处座所项件辆张床])\)")
# An index or ratio has no unit: 城乡居民收入倍差缩小至1.83, 恩格尔系数降至28.5.
UNITLESS_BEFORE = compiled(r"(?:倍差|系数|指数|倍数|比值|收入比)(?:缩小至|缩小到|下降至|下降到|降至|降到|达到|达|为|保持在|控制在|稳定在)$")
CN_MAGNITUDE = {"十": 10, "百": 100, "千": 1000, "万": 10000}

# What follows a value and makes it part of a name, a date or an ordinal, not a record.
NAME_AFTER = compiled(
    r"^(?:年|月|日|号|期|届|次|环|国道|省道|县道|线|千伏|kV|G|星|级|型|代|版|类|层|楼|岁|周年|倍|大|路|里|季度|的|"
    r"\s*[A-Za-z])"
)
# A sum that sizes what is counted after it (新开工5000万元以上项目200个, 引进10亿元以上企业8家): the
# count is the record, the sum part of its name.
# A target quoted in a report on progress: 已提前完成2025年8%的目标, 控制在5.5%的目标以内.
GOAL_AFTER = compiled(r"^的(?:预期|发展|年度|约束性|规划|五年)?目标(?P<bound>以内|以下|以上)?")
CLASS_AFTER = compiled(r"^(?:及)?以[上下]的[\u4e00-\u9fff]")
SIZE_CLASS_AFTER = compiled(r"^(?:以上|及以上)的?[\u4e00-\u9fff“”]{1,12}?(?:\d|[一二两三四五六七八九十百千]+[个家项所座])")
# Units after which a following 级/型/路/线 still makes a name: 500千伏 is caught by NAME_AFTER already.
NAME_BEFORE = compiled(r"(?:第|No\.|编号|热线|国道|[A-Za-z]|-|—)$")
# Time spans that qualify a service (24小时城市书房, 15分钟生活圈, 144小时过境免签), not a target.
TIME_QUALIFIER = compiled(r"^(?:小时|分钟)(?!直达|到达|通达|可达|内|以内|左右|车程)[\u4e00-\u9fff]")
# Verbs directly before a Chinese-numeral count that make it a commitment (新建一所医院);
# elsewhere Chinese numerals count slogans (四个中心, 三条控制线, 八项规定).
CN_COUNT_VERBS = ("新建", "新增", "建成", "建设", "增加", "增设", "打造", "培育", "引进", "设立", "布局", "实施", "办好")
BUILD_VERBS = ("建设", "打造", "建成", "培育", "新建", "形成")

# A rate's time after its unit, kept in the unit as written: 60万吨/日, 30万吨/年, 5立方米/秒.
RATE_AFTER = compiled(r"/(?:日|天|年|小时|时|秒|月)")

# Qualifiers after the value (and its unit).
AFTER_GE = ("以上", "及以上", "以上水平")
AFTER_LE = ("以内", "以下", "之内")
# After a time, 内 alone is "within" (5个工作日内办结); after other units it starts a word (10家内资企业).
TIME_UNITS = ("个工作日", "工作日", "天", "小时", "分钟", "个月")
AFTER_APPROX = ("左右",)
BEFORE_GE = ("超过", "突破", "不低于", "不少于", "至少", "高于", "超", "过", "跨入")
THRESHOLD_VERBS = ("迈上", "跨上", "站上", "迈过", "跨越", "越过")
# The threshold itself after the figure (4000亿元台阶, 万亿元大关): no counted thing, no name.
THRESHOLD_AFTER = ("台阶", "大关", "关口")
BEFORE_LE = ("不超过", "不高于", "低于", "控制在")
BEFORE_APPROX = ("约", "近", "接近", "大约")

# Verbs that make a figure a level reached (达到X) rather than an amount added.
LEVEL_VERBS = ("提高到", "提升到", "提升至", "提高至", "达到", "达", "增至", "增加到", "增长到", "降至", "降到", "下降到", "下降至",
               # a threshold passed (地区生产总值迈上4000亿元台阶): a level, at least that
               "迈上", "跨上", "站上", "迈过", "跨越", "越过",
               # a time brought down to (审批时间压缩至5个工作日): the level it reaches
               "压缩至", "压缩到", "压减至", "压减到", "缩短至", "缩短到", "缩减至",
               "减到", "减至", "控制在", "保持在", "稳定在", "突破", "超过", "为", "占", "跨入", "覆盖",
               # an area or a scale extended to (建成区面积扩大到21.5平方公里), a gap narrowed to (收入比缩小到2.28)
               "扩大到", "扩大至", "扩展到", "扩展至", "拓展到", "拓展至", "缩小到", "缩小至",
               # obtaining or allotting an amount, not building it: 获国家科技奖30项, 安排重大项目1000个, 供应建设用地35万亩
               "获", "获得", "争取", "安排", "供应", "滚动推进", "保持",
               # people reached by a measure are a count of its effect: 惠及310万户家庭, 覆盖…
               "惠及", "受益")
# Qualifiers written on the number that say a level is reached (突破300家, 超过5万人) when no
# verb before them says something is added.
LEVEL_QUALIFIERS = ("突破", "超过", "达", "超", "过")
INCREASE_VERBS = ("新增", "新建", "增加", "建成", "建设", "完成", "实施", "开展", "打造", "培育", "引进", "改造", "整治", "腾退",
                  "发布", "提供", "创建", "布局", "建立", "建", "设立", "支持", "服务保障", "开通", "实现", "推出", "认定", "落地",
                  "组建", "修复", "营造", "扩建", "改建", "提升", "增设", "配建", "编制", "入市", "引育", "吸引", "升级", "治理",
                  "新开工", "开工", "新设", "新开通", "新引进", "增产")
DECREASE_VERBS = ("减少", "压减", "削减", "下降", "降低", "疏解", "退出", "拆除", "关停", "清退", "精简", "回落", "收窄", "淘汰")
GROWTH_WORDS = ("年均增长", "年均增速", "年均递增", "年均提高", "年均增幅", "平均增长", "比上年增长", "比年初增长", "同比增长")
MULTI_YEAR_GROWTH = tuple(w for w in GROWTH_WORDS if "均" in w)  # the rest are one year's change (两年平均增长 is not)
# A one-year change written without 比上年 (生产总值增长5.4%, 涨幅控制在2%左右, 分别增长4%、11%):
# the GUIDE's annual_growth; 增长到X% is a level reached and does not match.
ONE_YEAR_CHANGE_BEFORE = compiled(
    r"(?:增长|增速|增幅|涨幅|上涨)(?:达到|达|为|在|控制在|保持在|分别)?(?:\d+(?:\.\d+)?(?:%|个百分点)?(?:左右|以上|以内)?[、和])*$"
)
# Verbs that add an amount even to a flow of money or volume (新增专项债券额度3279亿元).
ADDITION_VERBS = ("新增", "新建", "增加", "新开工", "新设", "新开通", "新引进", "增产")
# A stock or state written right before the number (累计38家, 拥有…, 年末…), and a counted subject
# whose verb gives it a status rather than adding it (20项工程全面完成, 5个模型获准上线, 8家博物馆晋级…).
STOCK_BEFORE = ("累计", "拥有", "共有", "现有", "保有", "总数", "总量", "年末", "保持")
# A total named right before its figure (累计建设839个海外仓、总面积1210万平方米): the size of what is there.
TOTAL_BEFORE = compiled(r"总(?:面积|规模|长度|里程|容量|产值|投资|收入|人口|数|量|额)$")
# Building verbs whose running total (累计建成N座) counts the facilities in place: a stock.
CUMULATIVE_BUILT = compiled(r"累计(?:建成|建设|建有|开通)")
# The same words anywhere before a number that no verb governs (年末全市共有规上企业2356家).
STOCK_IN = compiled("|".join(STOCK_BEFORE))
# A sentence that opens a count of what there is (年末全市共有公共图书馆13个，文化馆13个): its later
# clauses without a verb of their own go on counting stocks. (2025年末 is a date, not such an opening.)
STOCK_LEAD = compiled(r"共有|拥有|现有|(?<!\d)年末")
STATUS_AFTER = compiled(
    r"^[\u4e00-\u9fffA-Za-z“”]{0,16}?(?:全部|全面完成|圆满完成|全覆盖|均|入选|获评|获准|获批|获|纳入|晋级|上榜|"
    r"平稳运营|稳定运行|运营|完成(?:年度)?投资|加快实施|加快推进|有序推进|顺利推进|推广|“[^”]{1,8}”$|"
    # an evaluation's tally of indicators: 22项达到或超过预期进度, 4项基本符合预期, 2项滞后
    r"达到或超过|(?:基本)?符合预期|滞后|进展顺利)"
)
# Units of a flow measured over a period: people served or visits are levels (培训50万人次).
FLOW_UNITS = ("人次",)
# A flow named before 完成 / 实现 (货运量完成2.85亿吨, 营业收入实现…): the verb reports the period's
# amount, a level, where before a thing (完成造林3.2万亩) it is work that adds.
# A flow or stock named right before its figure with no verb (全年新能源汽车产量5.6万辆, 年末生猪存栏
# 42万头, 港口货物吞吐量1.2亿吨): a level, whatever its unit counts; an 增量 or 减量 is a change.
FLOW_BEFORE_NUMBER = compiled(r"(?:(?<![增减])量|(?<![增减])额|产值|出栏|存栏)$")
FLOW_BEFORE_VERB = compiled(r"(?:量|额|产值|总值|收入|投资|支出|消费|产量)(?:完成|实现)$")
# Measure words an indicator name ends in: in 受污染耕地和污染地块安全利用率均达到X, the measure
# written once at the end (安全利用率) belongs to every subject; in 接待游客人次、旅游总花费均增长X,
# each subject names its own measure and keeps it. Longer words first.
MEASURE_WORDS = tuple(sorted({
    "安全利用率", "资源化利用率", "无害化处理率", "绿化覆盖率", "森林覆盖率", "利用率", "覆盖率", "达标率", "合格率", "优良率",
    "处理率", "普及率", "增长率", "下降率", "降低率", "增速", "增幅", "占比", "比重", "比例", "完好率", "入学率", "参保率",
    "就业率", "收集率", "回收率", "保护率", "治理率", "分类率", "满意度", "知晓率", "使用率", "通过率", "检出率",
    "接种率", "受理率", "办结率", "面积", "总量", "数量", "密度", "指数", "人次", "人数", "花费", "收入", "产值", "规模",
    "产量", "投资", "消费", "总额", "增加值", "营业收入", "成交额", "容量", "里程", "长度", "浓度", "强度", "能耗", "排放量",
}, key=len, reverse=True))
# A subject that names two populations at once, given 分别 two figures (城乡居民收入分别…).
PAIRED_SUBJECTS = {"城乡": ("城镇", "农村")}
# 均 that ends a word, not the 均 of "each": 平均, 人均, 年均.
NOT_EACH = ("平均", "人均", "年均")
INCREASE_POINTS = compiled(r"(提高|提升|增加|上升|延长)$")

# Years and deadlines. A year is written in digits or, in a 建议 or an outline's vision, in Chinese
# numerals (到二〇三五年; the zero also as ○ or 零): read with numbers.year_number.
YEAR_DIGITS = r"(?:20\d{2}|二[〇○零][〇○零一二三四五六七八九]{2})"
# The lookahead lets the scan skip, with one set test, every position that cannot open a date
# (the optional prefix otherwise makes it try the whole pattern everywhere: 3.5 times slower).
DEADLINE = compiled(
    r"(?=[到至于在截2二])(?:到|至|于|在|截至)?\s*(?P<year>" + YEAR_DIGITS + r")\s*年\s*(?P<month>\d{1,2}月)?\s*"
    r"(?P<when>上半年|下半年|年中|年底前|年底|底前|底|末|前|以前|内|第?[一二三四1-4]季度)?"
)
# Words before a year that make it a due date (到2025年, 于2024年底, 展望二〇三五年).
# Words after a year that make it the start of a span or a base of comparison, not a due date
# (2020年以来, 2026年起, 与2020年相比).
SINCE = ("以来", "起", "开始", "以后", "后", "同期", "相比", "比")
DUE_BEFORE = ("到", "至", "于", "在", "展望", "力争", "确保", "预计")
# 到“十四五”末: the end of a five-year plan period (十四五 = 2021–2025).
FIVE_YEAR_END = compiled(r"十([一二三四五六七八九])五[”\"]?(?:时期|期)?末")
# The span of a plan period named in a sentence (“十四五”期间, 十五五时期): its last year dates the sentence.
FIVE_YEAR_SPAN = compiled(r"十([一二三四五六七八九])五[”\"]?(?:时期|期间|期)(?!末)")
# A year ended by a span from an earlier one, opening its clause (2026—2028年，改造农田8万亩): due at its end.
RANGE_OPENING = compiled(r"(?:^|[,;。:\n])\s*\d{4}\s*年?\s*[—–\-~]\s*$")
# A month without its year (6月底前, 三季度前): due in the document's own year, unless it recurs (每年6月底前).
MONTH_DUE = compiled(r"(?<![\d年月第])(?:(?P<month>\d{1,2})月(?:底|末|中旬|下旬)?|第?(?P<quarter>[一二三四])季度(?:末|底)?)(?:前|以前|之前)")
# The last year of each plan period: 十一五 ended in 2010.
FIVE_YEAR_LAST = {c: 2010 + 5 * i for i, c in enumerate("一二三四五六七八九")}
LEAD_IN_YEAR = compiled(r"(?:到|至|力争到|力争|确保到|预计到|展望)\s*(" + YEAR_DIGITS + r")\s*年")

# Sections whose figures report what was achieved (十三五 review) rather than promise.
REVIEW_TITLES = compiled(r"回顾|成就|成效|历史性|跨越的五年|历史起点|发展基础(?!性)|过去五年|工作总结|基础条件|现状|完成情况")
# Sections that look ahead in a document that otherwise reports (a mid-term evaluation's 下一步).
FORWARD_TITLES = compiled(r"下一步|对策建议|工作建议|意见建议|后半程|后期|工作安排|目标任务|重点任务")
# Years a heading names: one year (2025年目标任务), a range's end (2021—2025年), a plan period's
# end (“十四五”时期 → 2025; a period before the document's own is a review).
HEADING_YEAR = compiled(r"(?<!\d)(" + YEAR_DIGITS + r")\s*年")
YEAR_RANGE = compiled(r"(" + YEAR_DIGITS + r")\s*年?\s*[-—–~至到]\s*(" + YEAR_DIGITS + r")\s*年")
FIVE_YEAR_NAME = compiled(r"十([一二三四五六])五")
# Work reports: paragraphs that open the review of the past year(s) or the coming year's work.
REPORT_ADDRESS = r"^\s*(?:各位代表[!,:]?\s*)?"
REVIEW_OPENER = compiled(REPORT_ADDRESS + r"(?:过去(?:的)?一年|过去(?:的)?五年|五年来|一年来|去年)")
# (2026年是…开局之年 opens the coming year only in a 2026 report; 2025年是…收官之年 opens its review.)
COMING_OPENER = compiled(REPORT_ADDRESS + r"(?:今年|(?P<year>20\d{2})年是|主要预期目标|今年经济社会发展的主要预期目标)")
# A document that only reports results (a statistical communiqué): every figure in it is an
# actual of the year its title names (GUIDE: a communiqué's figures take the communiqué's year).
RESULTS_DOCUMENT = compiled(r"((?:19|20)\d{2})年.{0,40}统计公报")
# Quoted names and slogans: numbers inside “…” are part of a name (“四个中心”, “一核两翼”).
QUOTED = compiled(r"“[^”]{0,20}”")

# Clause boundaries: the GUIDE's quote is normally the clause between these marks.
# A comma between digits grouped by three (1,234,567.89亿元) is a thousands separator, not a
# clause break: normalised text writes ， as , too.
CLAUSE_SPLIT = compiled(r"[;:。!?|\n]|(?<!\d),|,(?!\d{3}(?!\d))")
SENTENCE_SPLIT = compiled(r"[。!?\n|]")

# Bodies named as responsible in tasks.
BODY_NAMES = (
    "政府", "委员会", "管委会", "办公室", "办公厅", "指挥部", "领导小组", "发展改革委", "发改委", "财政局", "规划自然资源委",
    "住房城乡建设委", "交通委", "生态环境局", "教委", "科委", "经济和信息化局", "商务局", "卫生健康委", "民政局",
    "人力资源社会保障局", "文化和旅游局", "园林绿化局", "水务局", "城市管理委", "公安局", "市场监管局", "国资委", "金融监管局",
    "统计局", "审计局", "应急局", "农业农村局", "体育局", "税务局", "区委", "市委", "党工委",
)
BODY = compiled(r"(?:市|区|县|镇|乡|街道)?(?:[\u4e00-\u9fff]{0,10}?)(?:" + "|".join(BODY_NAMES) + ")")
# A clause whose first BODY_REACH characters hold none of the names' last characters cannot
# open with a body: tested before BODY, whose lazy prefix tries every name at every length.
BODY_REACH = 2 + 10 + max(map(len, BODY_NAMES))
BODY_ENDS = compiled("[" + "".join(sorted({n[-1] for n in BODY_NAMES})) + "]")
