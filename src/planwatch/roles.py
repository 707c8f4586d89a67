"""The ledger's roles, named where every stage can read them without loading the store."""

ROLES = ("admin", "planner", "reporter", "viewer", "sysadmin", "secadmin", "auditor")
