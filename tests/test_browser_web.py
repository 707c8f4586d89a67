"""The quarterly cycle in a real browser: Playwright drives Debian's Chromium against the app
served by uvicorn on 127.0.0.1 over a real SQLite file (the demo plan with its fictional ledger).

A reporter logs in, fills and submits two items of the open quarter and attaches a file; a
planner returns one and approves the other; the reporter sees the comment; the dashboard's light
for the approved item's department changes; screenshots show the item chart and CJK glyphs.

Chromium comes from apt (.ci/run installs it); ``playwright install`` is never needed. Without
Chromium or Playwright these tests skip locally; under CI (CI=true) they fail instead.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from planwatch.report.charts import OBSERVED

from .conftest import DEMO_PLAN

PASSWORD = "Qingchuan#2024"
KEY = b"b" * 40
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: required under CI (.ci/run installs Debian's chromium and the test extra)")
    pytest.skip(reason)


def chromium_path() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        _unavailable("no Chromium on this machine (apt-get install chromium fonts-noto-cjk)")
    return found


# The task the quarter's story turns on, made by build_ledger: SCENE["task"] is its reference.
SCENE: dict[str, str] = {}


def build_ledger(path: Path):
    """The demo plan with two years of reports, a planner and the 区水务局 reporter, assessed as of
    the open quarter (2024Q4) so the dashboard has lights before anything happens in the browser.
    One task of its own, whatever the demo's draws: led by 区档案局 (nothing else), supported by
    区水务局, due 2024-06-30 and never reported on, so 区档案局's light is red."""
    from planwatch.assess import assess_plan
    from planwatch.demo.populate import populate
    from planwatch.pipeline import process
    from planwatch.store import add_user, make_engine, store_extraction, upgrade
    from planwatch.store.accounts import set_password

    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    store_extraction(engine, process(DEMO_PLAN))
    populate(engine, 1)
    from planwatch.store import assign

    assign(engine, ["I18"], lead="区水务局")  # a target 区水务局 has not yet reported on this quarter
    from planwatch.store import add_department
    from planwatch.store.corrections import add_item

    task = add_item(engine, "1", "设立规模10亿元的区级科技成果转化基金", "task", {"deadline": "2024-06-30"})["item"]
    add_department(engine, "区档案局", parent="临河区", level="委办局")
    assign(engine, [task], lead="区档案局", support=("区水务局",))
    SCENE["task"] = task
    add_user(engine, "admin", "admin")
    add_user(engine, "规划科", "planner", actor="admin")
    add_user(engine, "水务填报员", "reporter", department="区水务局", actor="admin")
    for name in ("admin", "规划科", "水务填报员"):
        set_password(engine, name, PASSWORD, actor=name)
    assess_plan(engine, "1", "2024Q4", actor="规划科", save=True)
    return engine


class Served:
    """The app under uvicorn in a thread, on a free port of 127.0.0.1 chosen by the kernel."""

    def __init__(self, app):
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self):
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Python playwright is not installed (pip install -e '.[test]')")
    from planwatch.web import Settings, create_app

    engine = build_ledger(tmp_path_factory.mktemp("browser-web") / "ledger.db")
    app = create_app(Settings(engine.url.render_as_string(hide_password=False), KEY, https=False))
    with Served(app) as served, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=ARGS)
        try:
            yield served.url, browser
        finally:
            browser.close()
    engine.dispose()


def log_in(browser, url: str, name: str):
    page = browser.new_context(viewport={"width": 1200, "height": 900}, locale="zh-CN").new_page()
    page.goto(url + "/login")
    page.fill('input[name="name"]', name)
    page.fill('input[name="password"]', PASSWORD)
    page.click('#login button[type="submit"]')
    page.wait_for_load_state()
    assert "/login" not in page.url, page.inner_text("main")
    return page


def department_light(page, url: str, department: str) -> str:
    page.goto(url + "/plans/1?period=2024Q4&kind=task")
    row = page.locator("#departments tr", has_text=department)
    return row.locator(".light").get_attribute("title")


def test_the_quarter_from_report_to_review_to_dashboard(site, tmp_path):
    url, browser = site
    planner = log_in(browser, url, "规划科")
    task = SCENE["task"]  # led by 区档案局, supported by 区水务局, overdue with no report
    before = department_light(planner, url, "区档案局")
    assert before == "红"

    reporter = log_in(browser, url, "水务填报员")
    reporter.click("#nav-quarter")
    scan = tmp_path / "验收单.pdf"
    scan.write_bytes(b"%PDF-1.4\n% a fictional acceptance sheet for the browser test\n")
    t2 = reporter.locator(f"#item-{task}")
    t2.locator('textarea[name="narrative"]').fill("科技金融服务平台上线运行，完成全部建设内容")
    t2.locator('select[name="status"]').select_option("已完成")
    t2.locator('input[name="percent"]').fill("100")
    t2.locator('input[name="evidence"]').set_input_files(str(scan))
    t2.locator('button[value="submit"]').click()
    reporter.wait_for_load_state()
    assert f"{task}: submitted" in reporter.inner_text(".message")
    assert "附件 1 个" in reporter.inner_text(f"#item-{task}")
    # A target of 区水务局's with nothing approved this quarter yet (the demo's draws decide which).
    quarter = reporter.request.get(url + "/quarter.json").json()
    target = next(i["ref"] for i in quarter["items"] if i["kind"] == "target" and i["role"] == "lead"
                  and (i["report"] is None or i["report"]["review"] != "approved"))
    row = reporter.locator(f"#item-{target}")
    row.locator('textarea[name="narrative"]').fill("新增口袋公园三处，数据待统计部门核定")
    row.locator('input[name="value"]').fill("12")
    row.locator('button[value="submit"]').click()
    reporter.wait_for_load_state()
    assert f"{target}: submitted" in reporter.inner_text(".message")

    planner.click("#nav-review")
    planner.locator("#queue tr", has_text=target).filter(has_text="区水务局").locator('input[name="report"]').check()
    planner.fill('textarea[name="comment"]', "请附统计部门的核定数据")
    planner.click('button[value="return"]')
    planner.wait_for_load_state()
    assert "1 report(s) returned" in planner.inner_text(".message")
    planner.locator("#queue tr", has_text=task).filter(has_text="区水务局").locator('input[name="report"]').check()
    planner.click('button[value="approve"]')
    planner.wait_for_load_state()
    assert "1 report(s) approved" in planner.inner_text(".message")

    reporter.reload()
    returned = reporter.locator(f"#item-{target} .returned-comment")
    assert "请附统计部门的核定数据" in returned.inner_text() and "规划科" in returned.inner_text()
    assert "已审核通过" in reporter.inner_text(f"#item-{task}")

    planner.goto(url + "/plans/1?period=2024Q4&kind=task")
    planner.click('#assess button[type="submit"]')
    planner.wait_for_load_state()
    after = department_light(planner, url, "区档案局")
    assert after != before and after == "绿"


def _image(png: bytes) -> Image.Image:
    return Image.open(io.BytesIO(png)).convert("RGB")


def test_item_chart_is_drawn(site):
    url, browser = site
    page = log_in(browser, url, "规划科")
    page.goto(url + "/items/I10?period=2024Q4")
    chart = page.locator("#chart svg")
    assert chart.count() == 1
    image = _image(chart.screenshot())
    r0, g0, b0 = (int(OBSERVED[i:i + 2], 16) for i in (1, 3, 5))
    data = image.tobytes()
    line = sum(1 for i in range(0, len(data), 3)
               if abs(data[i] - r0) < 30 and abs(data[i + 1] - g0) < 30 and abs(data[i + 2] - b0) < 30)
    assert line > 150, f"the observed line is barely drawn ({line} px)"
    assert len(image.getcolors(1 << 20)) > 8, "the chart region is blank"


# A code point no font carries: Chromium draws it as the missing-glyph box.
MISSING = "\U0010fffd"


def test_cjk_text_in_the_pages_renders_as_glyphs(site):
    url, browser = site
    page = log_in(browser, url, "水务填报员")
    page.goto(url + "/quarter")
    heading = page.inner_text("h1")
    assert heading.startswith("本季度报送")
    # Each character of the heading, drawn alone in the page's own font (its stylesheet), beside
    # the missing glyph: real glyphs have ink, differ from each other and from the box.
    chars = list("本季度报送") + [MISSING]
    page.evaluate("""chars => {
        const font = getComputedStyle(document.querySelector('h1')).fontFamily;
        chars.forEach((c, i) => {
            const s = document.createElement('span');
            s.id = 'probe-' + i; s.textContent = c;
            Object.assign(s.style, {position: 'fixed', top: '10px', left: (10 + i * 110) + 'px', fontSize: '96px',
                                    lineHeight: '1', fontFamily: font, color: '#000', background: '#fff', zIndex: 9});
            document.body.appendChild(s);
        });
    }""", chars)
    crops = [_image(page.locator(f"#probe-{i}").screenshot()).convert("L").resize((96, 96)) for i in range(len(chars))]
    box = crops[-1]
    for ch, crop in zip(chars[:-1], crops[:-1], strict=True):
        ink = sum(1 for v in crop.tobytes() if v < 128)
        assert ink > 200, f"{ch}: no strokes drawn"
        assert ImageChops.difference(crop, box).getbbox() is not None, f"{ch} renders as the missing-glyph box"
    for a in range(len(crops) - 1):
        for b in range(a + 1, len(crops) - 1):
            assert ImageChops.difference(crops[a], crops[b]).getbbox() is not None, f"{chars[a]} and {chars[b]} look the same: boxes"


def test_plan_reader_highlights_items_and_selection_fills_the_quote(site):
    url, browser = site
    page = log_in(browser, url, "规划科")
    page.goto(url + "/plans/1/text")
    mark = page.locator("#plan-text a.m.target").first
    assert mark.count() == 1
    background = mark.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background
    page.screenshot(path=str(Path(os.environ.get("TMPDIR", "/tmp")) / "planwatch-reader.png"))
    # Selecting words of the plan puts them in the 补充 form's quote (planwatch.js).
    page.evaluate("""() => {
        const p = document.querySelector('#plan-text p:nth-of-type(3)');
        const range = document.createRange(); range.selectNodeContents(p);
        const s = window.getSelection(); s.removeAllRanges(); s.addRange(range);
        p.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    }""")
    assert page.locator("#quote").input_value().strip() != ""
    ref = mark.get_attribute("data-ref")
    mark.click()
    page.wait_for_url(f"**/items/{ref}")
    assert page.locator("#edit-item").count() == 1
