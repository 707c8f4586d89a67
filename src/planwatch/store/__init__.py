"""Store: the monitoring ledger. The only package that knows SQL.

    engine = make_engine("sqlite:///planwatch.db"); upgrade(engine); store_extraction(engine, result)
"""

from .db import database_url, make_engine, upgrade
from .repo import IngestResult, audit_entries, list_plans, store_extraction

__all__ = ["IngestResult", "audit_entries", "database_url", "list_plans", "make_engine", "store_extraction", "upgrade"]
