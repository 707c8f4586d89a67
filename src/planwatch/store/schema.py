"""Tables of the monitoring ledger (SQLAlchemy 2 declarative models).

Only the store package imports this module; every other stage sees plain records.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Plan(Base):
    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(600), index=True)  # identity across versions: region|title|period (keys.plan_key)
    version: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(String(500))
    issuer: Mapped[str | None] = mapped_column(String(500))
    period_start: Mapped[int | None] = mapped_column(Integer)
    period_end: Mapped[int | None] = mapped_column(Integer)
    source_file: Mapped[str] = mapped_column(String(1000))
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    format: Mapped[str] = mapped_column(String(20))
    script: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("plans.id"))  # the next version, once there is one
    settings: Mapped[dict | None] = mapped_column(JSON)  # assessment thresholds that differ from the defaults
    region: Mapped[str | None] = mapped_column(String(100), index=True)  # 青川市临河区 (ingest/region.py)
    level: Mapped[str | None] = mapped_column(String(10))  # 省 / 市 / 区县
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)  # near-duplicate signature (ingest/similarity.py)
    shingles: Mapped[int | None] = mapped_column(Integer)  # distinct shingles, to turn the signature into containment
    nodes: Mapped[list[OutlineNode]] = relationship(back_populates="plan", cascade="all, delete-orphan")
    __table_args__ = (UniqueConstraint("key", "version"),)


class PlanBand(Base):
    """One LSH band key of a plan's MinHash: plans sharing a key are near-duplicate candidates."""

    __tablename__ = "plan_bands"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    band_key: Mapped[int] = mapped_column(BigInteger, index=True)


class SearchEntry(Base):
    """A searchable piece of a plan: a paragraph of its text, a target's quote, a task. Indexed
    by SQLite FTS5 (trigram) or PostgreSQL pg_trgm, made by migration 0007_batch_search."""

    __tablename__ = "search_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # text / target / task
    ref: Mapped[str] = mapped_column(String(20), default="")  # I12 / T5 for items
    body: Mapped[str] = mapped_column(Text)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)


class IngestRun(Base):
    """A batch ingest, so an interrupted one can resume (``ingest --resume``)."""

    __tablename__ = "ingest_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    inputs: Mapped[list] = mapped_column(JSON, default=list)  # the paths as given on the command line


class IngestRunFile(Base):
    __tablename__ = "ingest_run_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("ingest_runs.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(20))  # created / new-version / unchanged / failed
    plan_id: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)


class OutlineNode(Base):
    __tablename__ = "outline_nodes"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("outline_nodes.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(20), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[int] = mapped_column(Integer)
    inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    plan: Mapped[Plan] = relationship(back_populates="nodes")
    parent: Mapped[OutlineNode | None] = relationship(remote_side=[id])


class TargetRow(Base):
    __tablename__ = "targets"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(300), default="", server_default="")  # identity across versions: keys.py
    kind: Mapped[str] = mapped_column(String(10))
    metric: Mapped[str] = mapped_column(Text)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40))
    comparator: Mapped[str] = mapped_column(String(4))
    type: Mapped[str] = mapped_column(String(20))
    baseline: Mapped[float | None] = mapped_column(Float)
    year: Mapped[int | None] = mapped_column(Integer)
    year_explicit: Mapped[bool] = mapped_column(Boolean, default=False)
    binding: Mapped[str | None] = mapped_column(String(10))
    # A natural maximum or minimum (100 for a share) of a monitoring indicator (type "monitor",
    # no numeric target): it scales the statcan no-target thresholds near the limit.
    natural_limit: Mapped[float | None] = mapped_column(Float)
    quote: Mapped[str] = mapped_column(Text)
    section: Mapped[list] = mapped_column(JSON, default=list)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)


class TargetMention(Base):
    """Another place the plan states the same target (an annex or indicator table restating the
    text): one ledger item, every mention kept as its provenance."""

    __tablename__ = "target_mentions"
    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), index=True)
    quote: Mapped[str] = mapped_column(Text)
    section: Mapped[list] = mapped_column(JSON, default=list)
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)


class TaskRow(Base):
    __tablename__ = "tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(300), default="", server_default="")
    label: Mapped[str] = mapped_column(String(20), default="")
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    section: Mapped[list] = mapped_column(JSON, default=list)
    deadlines: Mapped[list] = mapped_column(JSON, default=list)
    lead: Mapped[list] = mapped_column(JSON, default=list)
    support: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")  # 配合单位 from a task table
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer, default=1)  # optimistic locking for concurrent reporters


class ProjectRow(Base):
    __tablename__ = "projects"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(40))
    quote: Mapped[str] = mapped_column(Text)
    task_title: Mapped[str] = mapped_column(Text, default="")
    section: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(300), default="", server_default="")  # identity across versions: keys.py
    lead: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")  # 责任单位 from a project table
    support: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    investment: Mapped[float | None] = mapped_column(Float)  # planned total investment (总投资), in investment_unit
    investment_unit: Mapped[str] = mapped_column(String(10), default="", server_default="")
    start_year: Mapped[int | None] = mapped_column(Integer)  # 建设年限
    end_year: Mapped[int | None] = mapped_column(Integer)


class ProjectStage(Base):
    """When a project is planned to reach a milestone (开工, 竣工 …): set by the planner or read
    from the plan's 建设年限. Reports say when it was reached."""

    __tablename__ = "project_stages"
    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(10))  # model.PROJECT_STAGES
    planned_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20))  # planner / plan
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    __table_args__ = (UniqueConstraint("project_id", "stage"),)


class ItemCorrection(Base):
    """A planner's correction of a plan's extracted items (edit / remove / merge / add), kept by the
    plan's identity and the item's key so that it is replayed on every later version (corrections.py)."""

    __tablename__ = "item_corrections"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_key: Mapped[str] = mapped_column(String(600), index=True)
    item_kind: Mapped[str] = mapped_column(String(10))  # target / task
    item_key: Mapped[str] = mapped_column(String(300))  # keys.py; for a merge, the item kept
    action: Mapped[str] = mapped_column(String(10))  # edit / remove / merge / add
    fields: Mapped[dict] = mapped_column(JSON, default=dict)  # edit: new values; merge: {"others": keys}; add: quote and values
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Department(Base):
    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    level: Mapped[str] = mapped_column(String(20), default="")  # 市 / 区 / 委办局 / 街镇


class User(Base):
    """Someone who acts on the ledger. Roles: admin, planner, reporter (own department only), viewer."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # Accounts (store/accounts.py): an argon2 hash, never the password; None for a user who has
    # none yet (a ledger from before passwords, or the demo), who cannot log in to the web.
    password_hash: Mapped[str | None] = mapped_column(String(200))
    must_change: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")  # first login, admin reset
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class WebSession(Base):
    """A browser's login. The cookie carries a random token; only its SHA-256 is stored, so a
    copy of the database opens no session."""

    __tablename__ = "web_sessions"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)  # sha256 of the cookie's token
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Assignment(Base):
    """A task or target given to a department, as lead (牵头) or cooperating (配合) unit."""

    __tablename__ = "assignments"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_kind: Mapped[str] = mapped_column(String(10))  # task / target
    item_id: Mapped[int] = mapped_column(Integer)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    role: Mapped[str] = mapped_column(String(10))  # lead / support
    __table_args__ = (UniqueConstraint("item_kind", "item_id", "department_id"), Index("ix_assignments_item", "item_kind", "item_id"))


class Period(Base):
    __tablename__ = "periods"
    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(20), unique=True)  # 2024Q2, 2024H1, 2024
    kind: Mapped[str] = mapped_column(String(10))  # quarter / half / year
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    due: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open / closed


class ProgressReport(Base):
    """What a department says about one task or target in one period, and where its review stands."""

    __tablename__ = "progress_reports"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_kind: Mapped[str] = mapped_column(String(10))
    item_id: Mapped[int] = mapped_column(Integer)
    period_id: Mapped[int] = mapped_column(ForeignKey("periods.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    status: Mapped[str] = mapped_column(String(10))  # 未启动 / 推进中 / 已完成 / 滞后 / 暂缓
    percent: Mapped[float | None] = mapped_column(Float)
    narrative: Mapped[str] = mapped_column(Text, default="")
    problems: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    review: Mapped[str] = mapped_column(String(10), default="draft")  # draft / submitted / approved / returned
    review_comment: Mapped[str] = mapped_column(Text, default="")
    submitted_by: Mapped[str | None] = mapped_column(String(200))
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_by: Mapped[str | None] = mapped_column(String(200))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)
    # A project's report: investment completed so far (累计完成投资, in the project's unit) and
    # the last milestone reached, with the day it was reached.
    investment_done: Mapped[float | None] = mapped_column(Float)
    stage: Mapped[str | None] = mapped_column(String(10))
    stage_on: Mapped[date | None] = mapped_column(Date)
    __table_args__ = (UniqueConstraint("item_kind", "item_id", "period_id", "department_id"), Index("ix_reports_item", "item_kind", "item_id"))
    __mapper_args__ = {"version_id_col": version}  # a stale writer gets StaleDataError, never a silent overwrite


class Evidence(Base):
    """A file attached to a progress report, kept in the database so it moves with its transaction."""

    __tablename__ = "evidence"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("progress_reports.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)  # nonce ‖ SM4-GCM ciphertext ‖ tag when ``cipher`` says so
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    cipher: Mapped[str] = mapped_column(String(20), default="", server_default="")  # "sm4-gcm"; "" for files stored before it
    key_id: Mapped[str | None] = mapped_column(String(32))  # which key (its fingerprint, never the key itself)
    kind: Mapped[str | None] = mapped_column(String(10))  # the type sniffed from the content: pdf, docx, png…


class LedgerSetting(Base):
    """A ledger-wide setting an administrator changes (the evidence quota), audited like any row."""

    __tablename__ = "ledger_settings"
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON)


class PlanPublication(Base):
    """What the public edition of a plan's bulletins and pages may show (the rest stays internal)."""

    __tablename__ = "plan_publications"
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True)
    fields: Mapped[list] = mapped_column(JSON)  # of store.publication.PUBLIC_FIELDS
    summary: Mapped[str] = mapped_column(Text, default="")  # the office's own public summary of the plan's progress


class Observation(Base):
    """One measured value of a target's indicator. Vintages stack: a final figure supersedes a
    preliminary one for the same target and time without erasing it."""

    __tablename__ = "observations"
    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    period_label: Mapped[str | None] = mapped_column(String(20))  # 2024Q2 for a quarterly figure, None for the year
    observed_on: Mapped[date | None] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40), default="")
    source: Mapped[str] = mapped_column(String(20))  # report / bulletin / department / manual / document
    source_ref: Mapped[str] = mapped_column(Text, default="")
    vintage: Mapped[str] = mapped_column(String(12), default="preliminary")  # preliminary / revised / final
    released_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Milestone(Base):
    """A target's planned value for one year (年度计划分解): set by the planner, taken from the
    annual plan's table, or interpolated from the baseline to the target."""

    __tablename__ = "milestones"
    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(20))  # planner / annual_plan / linear / compound
    source_ref: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    __table_args__ = (UniqueConstraint("target_id", "year"),)


class Comment(Base):
    """A remark or a leader's instruction (批示) on a task or target."""

    __tablename__ = "comments"
    id: Mapped[int] = mapped_column(primary_key=True)
    item_kind: Mapped[str] = mapped_column(String(10))
    item_id: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(12), default="comment")  # comment / instruction
    author: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    internal: Mapped[bool] = mapped_column(Boolean, default=True)  # left out of public editions
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    __table_args__ = (Index("ix_comments_item", "item_kind", "item_id"),)


class AssessmentRow(Base):
    """A target's or task's status as of a period, with everything that explains it."""

    __tablename__ = "assessments"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    as_of: Mapped[str] = mapped_column(String(20))  # period label
    item_kind: Mapped[str] = mapped_column(String(10))
    item_id: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))
    # The method that judged it (statcan / cn-midterm / task) and the rule that decided the status.
    method: Mapped[str] = mapped_column(String(20), default="", server_default="")
    criterion: Mapped[str] = mapped_column(Text, default="", server_default="")
    red: Mapped[bool] = mapped_column(Boolean, default=False)
    numbers: Mapped[dict] = mapped_column(JSON, default=dict)  # completion, elapsed, projected, ratio, …
    explanation: Mapped[dict] = mapped_column(JSON, default=dict)  # method, formula, inputs, thresholds, vintages
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    __table_args__ = (Index("ix_assessments_plan_as_of", "plan_id", "as_of"),)


class MatchLink(Base):
    """A reported figure in a later document proposed as an observation of a plan's target."""

    __tablename__ = "match_links"
    id: Mapped[int] = mapped_column(primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"), index=True)
    figure_id: Mapped[int] = mapped_column(ForeignKey("targets.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
    factor: Mapped[float] = mapped_column(Float, default=1.0)  # unit conversion: figure × factor = target's unit
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="proposed")  # proposed / accepted / rejected
    decided_by: Mapped[str | None] = mapped_column(String(200))
    observation_id: Mapped[int | None] = mapped_column(ForeignKey("observations.id", ondelete="SET NULL"))
    __table_args__ = (UniqueConstraint("target_id", "figure_id"),)


class AuditEntry(Base):
    """One audited action; ``hash`` chains it to the record before (``planwatch audit verify``)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(20))  # create / update / delete
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    old: Mapped[dict | None] = mapped_column(JSON)
    new: Mapped[dict | None] = mapped_column(JSON)
    # SM3 chain (store/chain.py): the previous record's hash and this record's, set at commit.
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))
