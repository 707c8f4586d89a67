"""Departments (a hierarchy: 市/区 → 委办局, 街镇) and the users who act for them."""

from __future__ import annotations

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from ..errors import ConflictError, NotFound, PermissionDenied, ValidationError
from ..roles import ROLES
from .access import require, subtree
from .audit import record
from .schema import Assignment, Department, ProgressReport, User

LEVELS = ("市", "区", "委办局", "街镇", "其他")


def find_department(session: Session, ref: str | int) -> Department:
    text = str(ref).strip()
    dep = session.get(Department, int(text)) if text.isdigit() else None
    dep = dep or session.scalars(select(Department).where(Department.name == text)).first()
    if dep is None:
        raise NotFound(f"no department {text!r} (add it with: planwatch departments add {text!r})")
    return dep


def add_department(engine: Engine, name: str, parent: str | None = None, level: str = "", actor: str | None = None) -> dict:
    """``add_department(engine, "区发展改革委", parent="临河区", level="委办局")``"""
    name = name.strip()
    if not name:
        raise ValidationError(["department name is empty"], "departments add")
    if level and level not in LEVELS:
        raise ValidationError([f"level {level!r} is not one of {', '.join(LEVELS)}"], "departments add")
    with Session(engine) as session, session.begin():
        who = require(session, actor, "departments").name
        if session.scalars(select(Department).where(Department.name == name)).first() is not None:
            raise ConflictError(f"department {name!r} exists already")
        parent_row = find_department(session, parent) if parent else None
        dep = Department(name=name, parent_id=parent_row.id if parent_row else None, level=level)
        session.add(dep)
        session.flush()
        record(session, who, "create", "department", dep.id, new={"name": name, "parent": parent, "level": level})
        return _department_dict(dep, parent_row.name if parent_row else None)


def move_department(engine: Engine, name: str, parent: str | None, level: str | None = None, actor: str | None = None) -> dict:
    """Put a department under another (or at the top with ``parent=None``), refusing cycles."""
    if level and level not in LEVELS:
        raise ValidationError([f"level {level!r} is not one of {', '.join(LEVELS)}"], "departments move")
    with Session(engine) as session, session.begin():
        who = require(session, actor, "departments").name
        dep = find_department(session, name)
        parent_row = find_department(session, parent) if parent else None
        if parent_row is not None and parent_row.id in subtree(session, dep.id):
            raise ConflictError(f"{parent_row.name} is {dep.name} or sits under it: that would make a cycle")
        old = {"parent_id": dep.parent_id, "level": dep.level}
        dep.parent_id = parent_row.id if parent_row else None
        dep.level = level if level is not None else dep.level
        record(session, who, "update", "department", dep.id, old=old, new={"parent_id": dep.parent_id, "level": dep.level})
        return _department_dict(dep, parent_row.name if parent_row else None)


def rename_department(engine: Engine, old: str, new: str, actor: str | None = None) -> dict:
    """Rename a unit created under a wrong or outdated name; its assignments and reports follow it.

    ``rename_department(engine, "区发改委", "区发展改革委")``
    """
    new = new.strip()
    if not new:
        raise ValidationError(["the new department name is empty"], "departments rename")
    with Session(engine) as session, session.begin():
        who = require(session, actor, "departments").name
        dep = find_department(session, old)
        if dep.name == new:
            raise ConflictError(f"department {dep.name!r} has that name already")
        if session.scalars(select(Department.id).where(Department.name == new)).first() is not None:
            raise ConflictError(f"department {new!r} exists already: move what {dep.name!r} holds to it, then remove {dep.name!r}")
        record(session, who, "update", "department", dep.id, old={"name": dep.name}, new={"name": new})
        dep.name = new
        parent = session.get(Department, dep.parent_id) if dep.parent_id else None
        return _department_dict(dep, parent.name if parent else None)


def remove_department(engine: Engine, name: str, actor: str | None = None) -> dict:
    """Remove a unit created by mistake; refused while any assignment, report, user or sub-unit names it."""
    with Session(engine) as session, session.begin():
        who = require(session, actor, "departments").name
        dep = find_department(session, name)
        held = _references(session, dep.id)
        if held:
            raise ConflictError(f"department {dep.name!r} is still referenced ({', '.join(held)}): "
                                "unassign, reassign or move those first")
        out = _department_dict(dep, None)
        record(session, who, "delete", "department", dep.id, old={"name": dep.name, "parent_id": dep.parent_id, "level": dep.level})
        session.delete(dep)
        return out


def _references(session: Session, dep_id: int) -> list[str]:
    """What still points at a department, counted in words (``["2 assignment(s)", "1 user(s)"]``)."""
    counts = (("assignment", Assignment.department_id), ("progress report", ProgressReport.department_id),
              ("user", User.department_id), ("sub-unit", Department.parent_id))
    out = []
    for word, column in counts:
        n = session.scalar(select(func.count()).where(column == dep_id))
        if n:
            out.append(f"{n} {word}(s)")
    return out


def ensure_departments(session: Session, names: list[str], who: str) -> list[Department]:
    """Departments by name, creating the ones a plan or ledger names that the ledger lacks."""
    out = []
    for name in names:
        dep = session.scalars(select(Department).where(Department.name == name)).first()
        if dep is None:
            dep = Department(name=name, level="")
            session.add(dep)
            session.flush()
            record(session, who, "create", "department", dep.id, new={"name": name})
        out.append(dep)
    return out


def list_departments(engine: Engine) -> list[dict]:
    """Departments in tree order, each with its parent and depth."""
    with Session(engine) as session:
        deps = session.scalars(select(Department).order_by(Department.id)).all()
        by_parent: dict[int | None, list[Department]] = {}
        for d in deps:
            by_parent.setdefault(d.parent_id, []).append(d)
        names = {d.id: d.name for d in deps}
        out: list[dict] = []

        def walk(parent, depth):
            for d in by_parent.get(parent, []):
                out.append({**_department_dict(d, names.get(d.parent_id)), "depth": depth})
                walk(d.id, depth + 1)

        walk(None, 0)
        return out


def _department_dict(d: Department, parent: str | None) -> dict:
    return {"id": d.id, "name": d.name, "parent": parent, "level": d.level}


def add_user(engine: Engine, name: str, role: str, department: str | None = None, actor: str | None = None) -> dict:
    """Add a user. The first user of a ledger must be an admin, who then adds the rest."""
    if role not in ROLES:
        raise ValidationError([f"role {role!r} is not one of {', '.join(ROLES)}"], "users add")
    if role == "reporter" and not department:
        raise ValidationError(["a reporter needs --department"], "users add")
    with Session(engine) as session, session.begin():
        first = session.scalars(select(User.id).limit(1)).first() is None
        if first and role != "admin":
            raise ValidationError(["the first user of a ledger must be an admin"], "users add")
        who = name if first else require(session, actor, "users").name
        if not first and role != "viewer":  # a role beyond read-only is the security administrator's to give
            require(session, actor, "security")
        if session.scalars(select(User).where(User.name == name)).first() is not None:
            raise ConflictError(f"user {name!r} exists already")
        dep = find_department(session, department) if department else None
        user = User(name=name, role=role, department_id=dep.id if dep else None)
        session.add(user)
        session.flush()
        record(session, who, "create", "user", user.id, new={"name": name, "role": role, "department": department})
        return {"id": user.id, "name": name, "role": role, "department": dep.name if dep else None}


def list_users(engine: Engine) -> list[dict]:
    with Session(engine) as session:
        rows = session.execute(select(User, Department.name).outerjoin(Department, User.department_id == Department.id).order_by(User.id))
        return [{"id": u.id, "name": u.name, "role": u.role, "department": dep} for u, dep in rows]


def set_role(engine: Engine, name: str, role: str, actor: str | None = None) -> dict:
    """Change a user's role (the security administrator's duty); nobody changes their own."""
    if role not in ROLES:
        raise ValidationError([f"role {role!r} is not one of {', '.join(ROLES)}"], "users role")
    with Session(engine) as session, session.begin():
        who = require(session, actor, "security").name
        user = session.scalars(select(User).where(User.name == name)).first()
        if user is None:
            raise NotFound(f"no user {name!r}")
        if user.name == who:
            raise PermissionDenied(f"user {who!r} may not change their own role")
        if role == "reporter" and user.department_id is None:
            raise ValidationError([f"{name} has no department: a reporter needs one"], "users role")
        old = user.role
        user.role = role
        record(session, who, "update", "user", user.id, old={"role": old}, new={"role": role})
        dep = session.get(Department, user.department_id) if user.department_id else None
        return {"id": user.id, "name": user.name, "role": role, "department": dep.name if dep else None}
