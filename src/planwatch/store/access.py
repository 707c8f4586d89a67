"""Who may do what. Every service function resolves its actor here before it touches a row.

A ledger with no users yet is a single-user installation: whoever runs the command acts as
admin (a planning officer on their own machine). Once the first user is added, every
change must name a known user and is checked against that user's role:

    admin     everything, including users
    planner   plans, departments, assignments, periods, review, observations, comments
    reporter  progress reports and figures for their own department (and its sub-units) only
    viewer    reads only
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import PermissionDenied
from .schema import Department, User

ROLES = ("admin", "planner", "reporter", "viewer")

PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({"users", "plans", "departments", "assign", "periods", "report", "review", "observe", "comment", "instruct"}),
    "planner": frozenset({"plans", "departments", "assign", "periods", "report", "review", "observe", "comment", "instruct"}),
    "reporter": frozenset({"report", "observe", "comment"}),
    "viewer": frozenset(),
}

# Permissions a reporter holds only inside their own department's subtree.
DEPARTMENT_BOUND = frozenset({"report", "observe"})


@dataclass(frozen=True)
class Actor:
    name: str
    role: str
    departments: frozenset[int] | None = None  # None: not bound to a department

    def can(self, permission: str, department_id: int | None = None) -> bool:
        if permission not in PERMISSIONS[self.role]:
            return False
        if self.role != "reporter" or permission not in DEPARTMENT_BOUND:
            return True
        return department_id is not None and department_id in (self.departments or frozenset())


def resolve_actor(session: Session, name: str | None) -> Actor:
    if session.scalars(select(User.id).limit(1)).first() is None:
        return Actor(name or "local", "admin")
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
        where = f" for department #{department_id}" if department_id is not None and actor.role == "reporter" else ""
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
