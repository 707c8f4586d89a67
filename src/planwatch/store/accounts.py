"""Accounts: passwords (argon2), the password policy, lockout, and the browser's sessions.

The application controls an MLPS 2.0 level-3 review asks for: passwords hashed with argon2id
(argon2-cffi), a policy (length ≥ 10, three of four character classes, not the user's name),
a new password on first login and after an administrator's reset, five failed logins lock the
account for fifteen minutes, and every login, failed login and password change in the audit log::

    set_password(engine, "王芳", "Qingchuan#2024", actor="admin")   # a reset: 王芳 must change it
    account = authenticate(engine, "王芳", "Qingchuan#2024")        # account.must_change is True
    set_password(engine, "王芳", "Linhe-river-7", actor="王芳", old_password="Qingchuan#2024")

Who a name belongs to is proven here and only here: the CLI asks for the password of a user who
has one, the web opens a session after ``authenticate``; the service functions then trust the name.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session

from ..errors import NotFound, PermissionDenied, ValidationError
from .access import require
from .audit import record
from .db import read_only
from .schema import AuditEntry, User, WebSession

MIN_LENGTH = 10
CLASSES_REQUIRED = 3  # of lower case, upper case, digits, everything else (MLPS: "复杂度")
# MLPS 2.0 level 3 asks for "登录失败处理"; five tries and a quarter of an hour is the usual setting.
LOCK_AFTER = 5
LOCK_FOR = timedelta(minutes=15)
# A session's last_seen is written at most this often: a page view should not be a write.
TOUCH_EVERY = timedelta(seconds=60)

_hasher = PasswordHasher()  # argon2id with argon2-cffi's RFC 9106 low-memory defaults


class LoginRefused(PermissionDenied):
    """Wrong name or password, a locked account, or an account without a password."""


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    department_id: int | None
    must_change: bool


@dataclass(frozen=True)
class WebLogin:
    """A live browser session: who, the CSRF token its forms carry, and when it began."""

    account: Account
    csrf: str
    created_at: datetime


def password_problems(name: str, password: str) -> list[str]:
    """What a new password lacks, in words a user can act on (empty when it is acceptable)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"a password needs at least {MIN_LENGTH} characters")
    classes = sum(any(test(c) for c in password) for test in (str.islower, str.isupper, str.isdigit, _other))
    if classes < CLASSES_REQUIRED:
        problems.append(f"a password needs {CLASSES_REQUIRED} of: lower case, upper case, digits, other characters")
    if name and name.casefold() in password.casefold():
        problems.append("a password may not contain the user's name")
    return problems


def _other(c: str) -> bool:
    return not (c.islower() or c.isupper() or c.isdigit())


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _aware(value: datetime | None) -> datetime | None:
    # SQLite gives DateTime(timezone=True) back without its zone; everything here is stored as UTC.
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _user(session: Session, name: str) -> User:
    user = session.scalars(select(User).where(User.name == name)).first()
    if user is None:
        raise NotFound(f"no user {name!r}")
    return user


def set_password(engine: Engine, name: str, password: str, actor: str | None = None, old_password: str | None = None) -> dict:
    """Set ``name``'s password. By the user themselves (proving the old one, if there is one) it
    is their own; by a security administrator it is a reset the user must change at next login."""
    if problems := password_problems(name, password):
        raise ValidationError(problems, f"password for {name}")
    with Session(engine) as session, session.begin():
        user = _user(session, name)
        own = actor == name
        if own:
            if user.password_hash is not None and not _verifies(user.password_hash, old_password or ""):
                raise LoginRefused(f"the current password of {name!r} is wrong")
            if old_password is not None and old_password == password:
                raise ValidationError(["the new password must differ from the old one"], f"password for {name}")
            who = name
        else:
            who = require(session, actor, "security").name
        user.password_hash = _hasher.hash(password)
        user.must_change = not own
        user.failed_logins, user.locked_until = 0, None
        user.password_changed_at = datetime.now(UTC)
        session.execute(delete(WebSession).where(WebSession.user_id == user.id))  # a new password ends every session
        record(session, who, "update", "user", user.id, new={"password": "changed" if own else "reset"})
        return {"name": name, "must_change": user.must_change}


def _verifies(hashed: str, password: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def has_password(engine: Engine, name: str) -> bool:
    with Session(engine) as session:
        return session.scalars(select(User.password_hash).where(User.name == name)).first() is not None


def authenticate(engine: Engine, name: str, password: str, now: datetime | None = None, channel: str = "web") -> Account:
    """The account behind ``name`` if ``password`` is its password; otherwise ``LoginRefused``
    (written, with the failure counted, before it is raised)."""
    now = _now(now)
    with Session(engine) as session, session.begin():
        user = session.scalars(select(User).where(User.name == name)).first()
        if user is None:
            record(session, name, "login_failed", "user", None, new={"reason": "unknown user"})
            refusal = LoginRefused("unknown user or wrong password")
        elif (locked := _aware(user.locked_until)) is not None and locked > now:
            record(session, name, "login_failed", "user", user.id, new={"reason": "locked"})
            refusal = LoginRefused(f"account {name!r} is locked after {LOCK_AFTER} failed logins until "
                                   f"{locked:%H:%M} UTC; a security administrator can reset its password")
        elif user.password_hash is None:
            record(session, name, "login_failed", "user", user.id, new={"reason": "no password"})
            refusal = LoginRefused(f"user {name!r} has no password yet: an administrator sets one with "
                                   f"`planwatch users passwd {name}`")
        elif not _verifies(user.password_hash, password):
            refusal = _count_failure(session, user, now)
        else:
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = _hasher.hash(password)
            user.failed_logins, user.locked_until = 0, None
            record(session, name, "login", "user", user.id, new={"via": channel})
            return Account(user.name, user.role, user.department_id, user.must_change)
    raise refusal


def _count_failure(session: Session, user: User, now: datetime) -> LoginRefused:
    user.failed_logins = (user.failed_logins or 0) + 1
    record(session, user.name, "login_failed", "user", user.id, new={"reason": "wrong password", "failures": user.failed_logins})
    if user.failed_logins < LOCK_AFTER:
        return LoginRefused("unknown user or wrong password")
    user.failed_logins, user.locked_until = 0, now + LOCK_FOR
    record(session, user.name, "lock", "user", user.id, new={"until": user.locked_until})
    return LoginRefused(f"account {user.name!r} is now locked for {LOCK_FOR.seconds // 60} minutes after {LOCK_AFTER} failed logins")


def unlock(engine: Engine, name: str, actor: str | None = None) -> dict:
    """Lift a lockout early (security administrators)."""
    with Session(engine) as session, session.begin():
        who = require(session, actor, "security").name
        user = _user(session, name)
        user.failed_logins, user.locked_until = 0, None
        record(session, who, "update", "user", user.id, new={"locked_until": None})
        return {"name": name, "locked": False}


# --- browser sessions --------------------------------------------------------------------------

def _token_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(engine: Engine, account: Account, now: datetime | None = None) -> str:
    """A new session for an authenticated account; returns the token for its cookie."""
    now, token = _now(now), secrets.token_urlsafe(32)
    with Session(engine) as session, session.begin():
        user = _user(session, account.name)
        session.add(WebSession(id=_token_id(token), user_id=user.id, csrf=secrets.token_urlsafe(32), created_at=now, last_seen=now))
    return token


def load_session(engine: Engine, token: str, idle: timedelta, absolute: timedelta, now: datetime | None = None) -> WebLogin | None:
    """The session behind a cookie's token, or None when there is none or it has expired (idle
    or absolute); an expired one is deleted."""
    now, key = _now(now), _token_id(token)
    with Session(read_only(engine)) as session:  # most requests only read their session: no write lock
        row = session.execute(select(WebSession, User).join(User, User.id == WebSession.user_id).where(WebSession.id == key)).first()
    if row is None:
        return None
    web, user = row
    created, seen = _aware(web.created_at), _aware(web.last_seen)
    if now - seen > idle or now - created > absolute:
        close_session(engine, token)
        return None
    if now - seen > TOUCH_EVERY:
        with Session(engine) as session, session.begin():
            found = session.get(WebSession, key)
            if found is not None:
                found.last_seen = now
    return WebLogin(Account(user.name, user.role, user.department_id, user.must_change), web.csrf, created)


def live_session_version(engine: Engine, token: str, idle: timedelta, absolute: timedelta,
                         now: datetime | None = None) -> tuple[str, int] | None:
    """``(session id, ledger version)`` read in one query, for a page kept from an earlier view
    of this session (web/cache.py): only while the session is live, needs no touch and no
    password change. None sends the request on to the app, which expires, touches or refuses."""
    now, key = _now(now), _token_id(token)
    version = select(func.max(AuditEntry.id)).scalar_subquery()
    # One statement needs no transaction: on PostgreSQL, autocommit saves the BEGIN and the
    # pool's ROLLBACK, two of the three round trips of a page kept in memory.
    reading = read_only(engine) if engine.dialect.name == "sqlite" else engine.execution_options(isolation_level="AUTOCOMMIT")
    with reading.connect() as connection:
        row = connection.execute(select(WebSession.created_at, WebSession.last_seen, User.must_change, version)
                                 .join(User, User.id == WebSession.user_id).where(WebSession.id == key)).first()
    if row is None or row[2]:
        return None
    created, seen = _aware(row[0]), _aware(row[1])
    if now - seen > min(idle, TOUCH_EVERY) or now - created > absolute:
        return None
    return key, row[3] or 0


def close_session(engine: Engine, token: str, actor: str | None = None) -> None:
    with Session(engine) as session, session.begin():
        session.execute(delete(WebSession).where(WebSession.id == _token_id(token)))
        if actor:
            record(session, actor, "logout", "user", None)
