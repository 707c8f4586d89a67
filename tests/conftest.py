"""Fixtures named for the state they give (sqlite-utils style)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from planwatch.cli import main
from planwatch.store import make_engine, upgrade

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PLANWATCH_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
GOLD = SHARED / "gold"
DEMO_PLAN = ROOT / "src" / "planwatch" / "demo" / "qingchuan_plan.txt"

# A fictional plan excerpt written for these tests (never corpus text).
SAMPLE_PLAN = """临河区生态环境保护行动计划(2021—2025年)
一、总体要求
(一)指导思想
坚持生态优先、绿色发展。
(二)发展目标
到2023年底,实现以下目标:
城区绿化覆盖率提高到48%,新增公园绿地120公顷。
二、重点任务
(一)扩大绿色空间
建设北湖湿地公园。加快实施滨河绿道工程,2022年上半年完成一期。
(二)治理水环境
到2024年,建成第二再生水厂,城市污水处理率达到97%以上。
三、保障措施
区发展改革委牵头建立监测制度。
"""


# A fictional implementation plan whose tasks come as an assignment table (任务分工表).
TABLE_PLAN = """临河区优化营商环境行动方案
一、工作目标
到2023年底，营商环境明显改善。
二、重点任务分工
序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限 |
1 | 推行企业开办全程网上办理。压缩开办时间至1个工作日。 | 区市场监管局 | 区政务服务局、区税务局 | 2022年6月底前 |
2 | 建设区级政务服务中心综合窗口。 | 区政务服务局 | 区发展改革委 | 2022年底前 |
3 | 完善中小企业融资担保体系 | 区金融办 | 区财政局 | 持续推进 |
三、保障措施
加强组织领导。
"""


# A fixed SM4 key for tests that attach evidence (never a real one; see store/evidence.py).
TEST_EVIDENCE_KEY = "00112233445566778899aabbccddeeff"


@pytest.fixture(autouse=True)
def evidence_key(monkeypatch):
    """Every test runs with an evidence key in the environment, as a configured office would."""
    monkeypatch.delenv("PLANWATCH_EVIDENCE_KEY_FILE", raising=False)
    monkeypatch.setenv("PLANWATCH_EVIDENCE_KEY", TEST_EVIDENCE_KEY)
    return TEST_EVIDENCE_KEY


@pytest.fixture(autouse=True)
def default_limits(monkeypatch):
    """Every test starts at the default reader limits. ``planwatch --limit`` writes
    PLANWATCH_LIMITS into the environment (for its batch workers); set here, so that monkeypatch
    takes it out again after a test that ran the command in this process."""
    monkeypatch.setenv("PLANWATCH_LIMITS", "")


@pytest.fixture
def table_plan(tmp_path: Path) -> Path:
    path = tmp_path / "营商环境行动方案.txt"
    path.write_text(TABLE_PLAN, encoding="utf-8")
    return path


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}; set PLANWATCH_SHARED to run corpus tests")
    return CORPUS


@pytest.fixture
def gold() -> Path:
    if not GOLD.is_dir():
        pytest.skip(f"shared gold annotations not found at {GOLD}")
    return GOLD


@pytest.fixture
def sample_txt(tmp_path: Path) -> Path:
    path = tmp_path / "sample.txt"
    path.write_text(SAMPLE_PLAN, encoding="utf-8")
    return path


@pytest.fixture
def run_cli():
    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)

    return run


PG_URL = os.environ.get("PLANWATCH_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_database():
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"pw_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL at {PG_URL} is required under CI: {exc}")
        pytest.skip(f"no PostgreSQL at {PG_URL}: {exc}")
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    return admin, name, url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.db'}"
        return
    admin, name, url = _postgres_database()
    yield url
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def fresh_db(db_url):
    engine = make_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def loaded_db(fresh_db):
    """A ledger holding the bundled demo plan."""
    from planwatch.pipeline import process
    from planwatch.store import store_extraction

    store_extraction(fresh_db, process(DEMO_PLAN))
    return fresh_db


@pytest.fixture
def demo_db(loaded_db):
    """The demo plan with two years of its fictional ledger (departments, reports, observations)."""
    from planwatch.demo.populate import populate

    populate(loaded_db, 1)
    return loaded_db


@pytest.fixture
def staffed_db(loaded_db):
    """The demo plan with a 区 and two bureaus, users in every role, T6 and I1 given to 区水务局."""
    from planwatch.store import add_department, add_user, assign, open_period

    db = loaded_db
    add_department(db, "临河区", level="区")
    add_department(db, "区水务局", parent="临河区", level="委办局")
    add_department(db, "区教委", parent="临河区", level="委办局")
    add_department(db, "滨河街道", parent="区水务局", level="街镇")
    add_user(db, "admin", "admin")
    add_user(db, "规划科", "planner", actor="admin")
    add_user(db, "水务填报员", "reporter", department="区水务局", actor="admin")
    add_user(db, "教委填报员", "reporter", department="区教委", actor="admin")
    add_user(db, "观察员", "viewer", actor="admin")
    assign(db, ["T6", "I1"], lead="区水务局", actor="规划科")
    assign(db, ["T5"], lead="滨河街道", actor="规划科")
    open_period(db, "2024Q2", actor="规划科")
    return db
