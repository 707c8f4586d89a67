"""Bad and odd inputs through read → outline → extract: how many crash, how many run long.

    python benchmarks/robust.py [--inputs 2000] [--seed 1] [--workers 2] [--cap 30] [--keep DIR]

Makes ``--inputs`` files at run time from the bundled fictional plan and communiqué (mutated
text in every encoding, HTML nested, unclosed and tabled, Markdown with front matter, Word files
built with python-docx and then damaged, XML bombs, PDFs drawn with reportlab, some damaged or
encrypted) and runs each through ``planwatch.pipeline.process`` in worker processes. An input
ends as ``ok``, ``refused`` (planwatch's own error, naming the file) or ``crash`` (any other
exception); one that takes longer than ``--cap`` seconds is killed and counted as a time-out.

Reports counts, the crash kinds, inputs over 10 s, the slowest time and the largest resident
memory, and the slowest time as a ratio to the bundled plan's own processing time measured in
the same process. Exits 1 when anything crashed or ran past 10 s (the issue's bar: 0 and 0).
"""

from __future__ import annotations

import argparse
import io
import multiprocessing as mp
import random
import re
import resource
import statistics
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

from planwatch.errors import PlanwatchError
from planwatch.pipeline import process

DEMO = Path(__file__).resolve().parent.parent / "src" / "planwatch" / "demo"
SLOW = 10.0  # seconds: the bound for any one input
MEMORY_CAP = 4 * 1024**3  # a runaway input fails in its worker instead of taking the machine

NOISE = "一二三四五六七八九十百千万亿零两〇％%.,，。；：、（）()[]【】《》—-–~≥≤<>=+*/\\|#\t \u3000\u200b\ufeff\x00\x0b\x1f" \
        "0123456789abcdefXYZ第章节条年月日到达增长亿元万人个率指标目标任务工程项目推进完成\U0001f600\ue000\ud7ff"


# --- making inputs ------------------------------------------------------------------------------

def mutate(rng: random.Random, text: str) -> str:
    """One to four random edits that real files show: lost, repeated or shuffled parts, noise,
    no sentence punctuation, very long lines, huge numbers, heading floods."""
    lines = text.splitlines()
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(10)
        if op == 0 and lines:  # cut a span
            a = rng.randrange(len(lines))
            del lines[a:a + rng.randint(1, 200)]
        elif op == 1 and lines:  # repeat a span many times
            a = rng.randrange(len(lines))
            lines[a:a] = lines[a:a + rng.randint(1, 20)] * rng.randint(2, 300)
        elif op == 2:
            rng.shuffle(lines)
        elif op == 3 and lines:  # noise inside lines
            for _ in range(rng.randint(1, 400)):
                i = rng.randrange(len(lines))
                j = rng.randint(0, len(lines[i]))
                lines[i] = lines[i][:j] + "".join(rng.choice(NOISE) for _ in range(rng.randint(1, 8))) + lines[i][j:]
        elif op == 4:  # one line with no sentence end
            lines = ["".join(lines).replace("。", "").replace("；", "")[: rng.randint(1_000, 200_000)]]
        elif op == 5 and lines:  # huge and odd numbers
            for _ in range(rng.randint(1, 50)):
                i = rng.randrange(len(lines))
                lines[i] += rng.choice(["到2025年达到", "增长", "突破", "超"]) + rng.choice(
                    [str(rng.randint(0, 10**rng.randint(1, 40))), "三千五百亿", "九千九百九十九万亿亿", "1e308", "0.000000001", "－5.5"]) \
                    + rng.choice(["%", "亿元", "个", "万人", ""])
        elif op == 6:  # a flood of headings, numbered past one hundred
            lines += [f"第{rng.choice(['一百零', '九十九', '一千', '二', ''])}{rng.choice('一二三四五六七八九十')}章 标题{k}"
                      for k in range(rng.randint(10, 5_000))]
        elif op == 7 and lines:  # truncate
            lines = lines[: rng.randint(0, len(lines))]
        elif op == 8:  # table-like rows
            lines += ["| " + " | ".join(rng.choice(["指标", "2025", "≥", "45%", "", "约束性"]) for _ in range(rng.randint(1, 30))) + " |"
                      for _ in range(rng.randint(1, 500))]
        else:  # very long words of digits
            lines.append("".join(rng.choice("0123456789.,%") for _ in range(rng.randint(100, 50_000))))
    return "\n".join(lines)


def encoded(rng: random.Random, text: str) -> bytes:
    encoding = rng.choice(["utf-8", "utf-8-sig", "gb18030", "big5", "utf-16", "utf-16-be"])
    data = bytearray(text.encode(encoding, errors="replace"))
    for _ in range(rng.choice([0, 0, 1, 10, 1000])):  # flipped bytes
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def html_page(rng: random.Random, text: str) -> str:
    depth = rng.choice([0, 5, 50, 300, 1_000, 3_000])
    tag = rng.choice(["div", "span", "b", "font", "table><tr><td", "p", "li"])
    close = "" if rng.random() < 0.4 else "".join(f"</{t.split('>')[0]}>" for t in [tag] * depth)
    body = "".join(f"<p>{line}</p>" if rng.random() < 0.8 else f"<h2>{line}</h2>" for line in text.splitlines())
    if rng.random() < 0.3:
        body += "<table>" + "".join("<tr>" + "<td>指标</td><td>45%</td>" * rng.randint(1, 40) + "</tr>" for _ in range(rng.randint(1, 300)))
        body += "</table>" if rng.random() < 0.5 else ""
    if rng.random() < 0.2:
        body += "<script>" + "x" * rng.randint(0, 100_000) + "</script><nav>首页 > 规划</nav>"
    return f"<html><head><title>{text[:30]}</title></head><body>{('<' + tag + '>') * depth}{body}{close}</body></html>"


def front_matter(rng: random.Random, text: str) -> str:
    heads = ["title: 临河区规划", "date: 2021-02-30", "date: 99999-01-01", "published: [1, 2", "&a [x, *a]",
             "a: &a [x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b]\ntitle: *c",
             "period: 2021-2025", "issuers: {", "title: " + "长" * rng.randint(1, 10_000)]
    return "---\n" + "\n".join(rng.sample(heads, rng.randint(1, 3))) + "\n---\n" + text


XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx_file(rng: random.Random, text: str) -> bytes:
    from docx import Document

    doc = Document()
    text = XML_UNSAFE.sub("", text)  # Word's XML cannot hold these; python-docx refuses them
    for line in text.splitlines()[: rng.choice([50, 500, 5_000])]:
        if rng.random() < 0.05:
            cols = rng.randint(1, 12)
            table = doc.add_table(rows=rng.randint(1, 20), cols=cols)
            for row in table.rows:
                for cell in row.cells:
                    cell.text = line[: rng.randint(0, 20)]
        else:
            doc.add_paragraph(line, style=rng.choice(["Normal", "Heading 1", "Heading 2", "List Number"]))
    buffer = io.BytesIO()
    doc.save(buffer)
    data = bytearray(buffer.getvalue())
    damage = rng.randrange(4)
    if damage == 1:  # truncated
        data = data[: rng.randint(0, len(data))]
    elif damage == 2:  # flipped bytes
        for _ in range(rng.randint(1, 50)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def docx_hostile(rng: random.Random, text: str) -> bytes:
    """Hand-made Word packages: entity bombs, deep XML, odd compression, bad numbering."""
    kind = rng.randrange(5)
    para = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in text.splitlines()[:200]
                   if "<" not in line and "&" not in line)
    document = f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>{para}</w:body></w:document>'
    numbering = None
    method = zipfile.ZIP_DEFLATED
    if kind == 0:
        ents = '<!ENTITY a "xxxxxxxxxx">' + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefgh", "bcdefghi", strict=True))
        document = f'<?xml version="1.0"?><!DOCTYPE d [{ents}]><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&i;</w:t></w:r></w:p></w:body></w:document>'
    elif kind == 1:
        n = rng.choice([300, 3_000, 30_000])
        document = f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>' + "<w:sdt><w:sdtContent>" * n + para \
            + "</w:sdtContent></w:sdt>" * n + "</w:body></w:document>"
    elif kind == 2:
        method = rng.choice([zipfile.ZIP_STORED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
    elif kind == 3:
        start = rng.choice(["1", "-5", "99999999999999999999", "x", ""])
        numbering = (f'<w:numbering xmlns:w="{W}"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="{rng.choice(["0", "9", "-1", "a"])}">'
                     f'<w:start w:val="{start}"/><w:numFmt w:val="{rng.choice(["chineseCounting", "decimal", "bogus"])}"/>'
                     f'<w:lvlText w:val="第%1章"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>')
        document = document.replace("<w:p><w:r>", '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r>')
    else:  # a part that inflates far past its compressed size
        document = f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>' + "<w:p><w:r><w:t>一</w:t></w:r></w:p>" * 2_000_000 \
            + "</w:body></w:document>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="xml" ContentType="application/xml"/></Types>')
        z.writestr(zipfile.ZipInfo("word/document.xml"), document, compress_type=method)
        if numbering:
            z.writestr("word/numbering.xml", numbering)
            z.writestr("word/_rels/document.xml.rels",
                       '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                       '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" '
                       'Target="numbering.xml"/></Relationships>')
    return buffer.getvalue()


def pdf_file(rng: random.Random, text: str) -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    encrypt = pdfencrypt.StandardEncryption(rng.choice(["", "secret"]), "owner") if rng.random() < 0.1 else None
    c = canvas.Canvas(buffer, encrypt=encrypt)
    c.setFont("STSong-Light", 10)
    y = 800
    for line in text.splitlines()[: rng.choice([40, 400, 2_000])]:
        c.drawString(40 + rng.choice([0, 0, 200]), y, line[:50])
        y -= 14
        if y < 40:
            c.showPage()
            c.setFont("STSong-Light", 10)
            y = 800
    c.save()
    data = bytearray(buffer.getvalue())
    if rng.random() < 0.3:
        for _ in range(rng.randint(1, 200)):
            data[rng.randrange(len(data))] = rng.randrange(256)
    if rng.random() < 0.1:
        data = data[: rng.randint(0, len(data))]
    return bytes(data)


def make_inputs(folder: Path, count: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    texts = [(DEMO / name).read_text(encoding="utf-8") for name in ("qingchuan_plan.txt", "communique_2024.txt")]
    makers = [
        (".txt", lambda t: encoded(rng, mutate(rng, t))),
        (".md", lambda t: front_matter(rng, mutate(rng, t)).encode("utf-8", errors="replace")),
        (".html", lambda t: html_page(rng, mutate(rng, t)).encode("utf-8", errors="replace")),
        (".htm", lambda t: encoded(rng, html_page(rng, t))),
        (".docx", lambda t: docx_file(rng, mutate(rng, t))),
        (".docx", lambda t: docx_hostile(rng, t)),
        (".pdf", lambda t: pdf_file(rng, mutate(rng, t))),
        (rng.choice([".txt", ".pdf", ".docx", ".html"]), lambda t: bytes(rng.randrange(256) for _ in range(rng.randint(0, 5_000)))),
    ]
    paths = []
    for i in range(count):
        suffix, make = makers[i % len(makers)]
        path = folder / f"input-{i:05d}[{i % len(makers)}]{suffix}"  # brackets: names are not markup
        path.write_bytes(make(rng.choice(texts)))
        paths.append(path)
    return paths


# --- running them -------------------------------------------------------------------------------

def worker(conn) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    while (path := conn.recv()) is not None:
        t = time.perf_counter()
        try:
            process(path)
            outcome = "ok"
        except PlanwatchError:
            outcome = "refused"
        except BaseException as exc:  # noqa: BLE001 - counting what escapes is the point
            outcome = f"crash: {type(exc).__name__}: {str(exc)[:120]}"
        elapsed = time.perf_counter() - t
        conn.send((outcome, elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024))


class Pool:
    """Workers that can be killed one at a time: a hung input must not stop the run."""

    def __init__(self, size: int) -> None:
        self.ctx = mp.get_context("fork")
        self.slots = [self._start() for _ in range(size)]

    def _start(self):
        here, there = self.ctx.Pipe()
        proc = self.ctx.Process(target=worker, args=(there,), daemon=True)
        proc.start()
        return {"proc": proc, "conn": here, "task": None, "since": 0.0, "done": 0}

    def run(self, paths: list[Path], cap: float) -> list[tuple[Path, str, float, int]]:
        todo, results = list(reversed(paths)), []
        while todo or any(s["task"] for s in self.slots):
            for i, slot in enumerate(self.slots):
                if slot["task"] is None and todo:
                    if slot["done"] >= 100:  # a fresh process: memory high-water marks stay per input group
                        slot["conn"].send(None)
                        slot["proc"].join()
                        self.slots[i] = slot = self._start()
                    slot["task"], slot["since"] = todo.pop(), time.perf_counter()
                    slot["conn"].send(str(slot["task"]))
            for i, slot in enumerate(self.slots):
                if slot["task"] is None:
                    continue
                if slot["conn"].poll(0.01):
                    try:
                        outcome, elapsed, rss = slot["conn"].recv()
                    except EOFError:  # the worker died (a signal, the memory cap)
                        outcome, elapsed, rss = "crash: worker died", time.perf_counter() - slot["since"], 0
                        self.slots[i] = self._start()
                    results.append((slot["task"], outcome, elapsed, rss))
                    slot["task"], slot["done"] = None, slot["done"] + 1
                elif time.perf_counter() - slot["since"] > cap:
                    slot["proc"].kill()
                    results.append((slot["task"], "time-out", time.perf_counter() - slot["since"], 0))
                    self.slots[i] = self._start()
        for slot in self.slots:
            slot["conn"].send(None)
        return results


def baseline(runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        process(DEMO / "qingchuan_plan.txt")
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inputs", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cap", type=float, default=30.0, help="seconds before an input is killed")
    ap.add_argument("--keep", type=Path, help="write the inputs here and keep them")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        paths = make_inputs(folder, args.inputs, args.seed)
        made = time.perf_counter() - t
        base = baseline()
        t = time.perf_counter()
        results = Pool(args.workers).run(paths, args.cap)
        wall = time.perf_counter() - t

    kinds = Counter(outcome.split(":")[0] for _, outcome, _, _ in results)
    crashes = Counter(outcome.split(":", 2)[1].strip() for _, outcome, _, _ in results if outcome.startswith("crash"))
    slow = sorted(((elapsed, path.name) for path, _, elapsed, _ in results if elapsed > SLOW), reverse=True)
    slowest = max(results, key=lambda r: r[2])
    times = sorted(r[2] for r in results)
    print(f"inputs                 {len(results)} (made in {made:.1f} s, run in {wall:.1f} s on {args.workers} workers)")
    for kind in ("ok", "refused", "crash", "time-out"):
        print(f"{kind:<22} {kinds.get(kind, 0)}")
    for kind, n in crashes.most_common():
        print(f"  crash {kind:<16} {n}")
    for path, outcome, _, _ in results:
        if outcome.startswith("crash"):
            print(f"    {path.name}: {outcome}")
    print(f"over {SLOW:g} s              {len(slow)}" + "".join(f"\n  {e:6.1f} s {name}" for e, name in slow[:20]))
    print(f"baseline (bundled plan) {base * 1000:8.1f} ms")
    print(f"median input           {statistics.median(times) * 1000:8.1f} ms  ({statistics.median(times) / base:.2f}× baseline)")
    print(f"p99 input              {times[int(len(times) * 0.99) - 1] * 1000:8.1f} ms  ({times[int(len(times) * 0.99) - 1] / base:.2f}× baseline)")
    print(f"slowest input          {slowest[2] * 1000:8.1f} ms  ({slowest[2] / base:.1f}× baseline) {slowest[0].name}: {slowest[1]}")
    print(f"largest worker memory  {max(r[3] for r in results) / 1024**2:8.0f} MB")
    return 1 if crashes or slow or kinds.get("time-out") else 0


if __name__ == "__main__":
    sys.exit(main())
