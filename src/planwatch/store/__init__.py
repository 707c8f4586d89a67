"""Store: the monitoring ledger. The only package that knows SQL.

Every service function takes an Engine and the acting user's name, checks the user's role,
runs one transaction and writes the audit log::

    engine = make_engine("sqlite:///planwatch.db"); upgrade(engine)
    store_extraction(engine, result)
    add_department(engine, "区发展改革委")
    assign(engine, ["T3"], lead="区发展改革委")
    open_period(engine, "2024Q2")
    submit_report(engine, "T3", "2024Q2", "区发展改革委", ReportInput("推进中", 40, "完成立项"))
"""

from ..roles import ROLES
from .assignments import assign, assign_from_text, unassign
from .audit import audit_entries, log_event, read_anchor, verify_audit, write_anchor
from .backup import backup, restore, verify_backup
from .db import database_url, ensure_current, make_engine, schema_revision, upgrade
from .evidence import encrypt_stored_evidence, evidence_quota, write_key_file
from .ledger import close_period, list_periods, open_period, parse_ref, plan_items, ref_of, reopen_period
from .ledger_sheet import COLUMNS as LEDGER_COLUMNS
from .ledger_sheet import LedgerMeta, apply_ledger, assigned_departments, ledger_rows, missing_reports
from .observations import ObservationInput, add_observation, import_observations, list_observations, vintage_of
from .people import (
    add_department,
    add_user,
    list_departments,
    list_users,
    move_department,
    remove_department,
    rename_department,
    set_role,
)
from .plans import IngestResult, list_plans, store_extraction
from .progress import (
    STATUSES,
    ReportInput,
    add_comment,
    attach_evidence,
    list_comments,
    list_evidence,
    list_reports,
    review_report,
    review_reports,
    submit_report,
)
from .publication import public_fields, set_publication

__all__ = [
    "LEDGER_COLUMNS", "ROLES", "STATUSES", "IngestResult", "LedgerMeta", "ObservationInput", "ReportInput",
    "add_comment", "add_department", "add_observation", "add_user", "apply_ledger", "assign", "assign_from_text", "assigned_departments",
    "attach_evidence", "public_fields", "set_publication", "encrypt_stored_evidence", "evidence_quota", "write_key_file", "audit_entries", "backup", "restore", "verify_backup", "log_event", "read_anchor", "verify_audit", "write_anchor", "close_period", "database_url", "ensure_current", "import_observations", "ledger_rows",
    "list_comments", "list_departments", "list_evidence", "list_observations", "list_periods", "list_plans", "list_reports", "list_users",
    "make_engine", "missing_reports", "move_department", "remove_department", "rename_department", "open_period", "reopen_period", "parse_ref", "plan_items", "ref_of", "review_report", "review_reports", "schema_revision", "set_role", "store_extraction", "submit_report",
    "unassign", "upgrade", "vintage_of",
]
