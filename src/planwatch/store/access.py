"""Who may do what. Every service function resolves its actor here before it touches a row.

A ledger with no users yet is a single-user installation: whoever runs the command acts as
admin (a planning officer on their own machine). Once the first user is added, every
change must name a known user and is checked against that user's role:

    admin     everything (a small office's one administrator)
    planner   plans, departments, assignments, periods, review, observations, comments
    reporter  progress reports, figures and comments for their own department (and its sub-units) only
    viewer    reads only

and the three administrators of MLPS (等级保护三员), for offices that separate them:

    sysadmin  system administrator: users, departments, settings, backups
    secadmin  security administrator: roles, passwords and locks
    auditor   audit administrator: reads and verifies the audit log, and nothing else

Separation of duties holds for every role: nobody reviews a report they submitted, nobody
changes their own role, and reopening a closed period takes an admin and a reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import PermissionDenied
from .schema import Department, User

# users: add accounts; security: roles, passwords, locks; audit: read and verify the audit log;
# reopen: reopen a closed period; settings: ledger and plan settings (public fields, quotas);
# backup: write a backup of the whole ledger (evidence included) or restore one over it.
PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({"users", "security", "audit", "settings", "backup", "reopen", "plans", "departments", "assign", "periods", "report",
                        "review", "observe", "comment", "instruct"}),
    "planner": frozenset({"plans", "departments", "assign", "periods", "report", "review", "observe", "comment", "instruct"}),
    "reporter": frozenset({"report", "observe", "comment"}),
    "viewer": frozenset(),
    "sysadmin": frozenset({"users", "departments", "settings", "backup"}),
    "secadmin": frozenset({"security"}),
    "auditor": frozenset({"audit"}),
}

# Roles bound to their department's subtree, and the permissions that binding limits.
DEPARTMENT_BOUND_ROLES = frozenset({"reporter"})
DEPARTMENT_BOUND = frozenset({"report", "observe", "comment"})

@dataclass(frozen=True)
class Actor:
    name: str
    role: str
    departments: frozenset[int] | None = None  # None: not bound to a department
    implicit: bool = False  # the single user of a ledger without users

    def can(self, permission: str, department_id: int | None = None) -> bool:
        return self.can_any(permission, None if department_id is None else {department_id})

    def can_any(self, permission: str, department_ids: set[int] | None) -> bool:
        """Whether the actor may ``permission`` on something belonging to any of ``department_ids``."""
        if permission not in PERMISSIONS.get(self.role, frozenset()):
            return False
        if self.role not in DEPARTMENT_BOUND_ROLES or permission not in DEPARTMENT_BOUND:
            return True
        return bool(department_ids and department_ids & (self.departments or frozenset()))


def resolve_actor(session: Session, name: str | None) -> Actor:
    if session.scalars(select(User.id).limit(1)).first() is None:
        return Actor(name or "local", "admin", implicit=True)
    if not name:
        raise PermissionDenied("this ledger has users: name one with --user or PLANWATCH_USER")
    user = session.scalars(select(User).where(User.name == name)).first()
    if user is None:
        raise PermissionDenied(f"unknown user {name!r}")
    bound = frozenset(subtree(session, user.department_id)) if user.department_id else None
    return Actor(user.name, user.role, bound)


def require(session: Session, name: str | None, permission: str, department_id: int | None = None) -> Actor:
    actor = resolve_actor(session, name)
    if not actor.can(permission, department_id):
        where = f" for department #{department_id}" if department_id is not None and actor.role in DEPARTMENT_BOUND_ROLES else ""
        raise PermissionDenied(f"user {actor.name!r} ({actor.role}) may not {permission}{where}")
    return actor


def require_any(session: Session, name: str | None, permission: str, department_ids: set[int]) -> Actor:
    """``require`` for something several departments share (an item's lead and support units)."""
    actor = resolve_actor(session, name)
    if not actor.can_any(permission, department_ids):
        where = " on an item outside their department" if actor.role in DEPARTMENT_BOUND_ROLES else ""
        raise PermissionDenied(f"user {actor.name!r} ({actor.role}) may not {permission}{where}")
    return actor


def subtree(session: Session, department_id: int) -> set[int]:
    """The department and every unit under it (a 区 reporter answers for its 街镇)."""
    rows = session.execute(select(Department.id, Department.parent_id)).all()
    children: dict[int | None, list[int]] = {}
    for dep_id, parent in rows:
        children.setdefault(parent, []).append(dep_id)
    out, stack = set(), [department_id]
    while stack:
        dep = stack.pop()
        if dep not in out:
            out.add(dep)
            stack.extend(children.get(dep, ()))
    return out


def allowed(engine, name: str | None, permission: str) -> bool:
    """Whether ``name`` may ``permission`` (unknown users may not), without raising."""
    from sqlalchemy.orm import Session

    with Session(engine) as session:
        try:
            return resolve_actor(session, name).can(permission)
        except PermissionDenied:
            return False
