"""Evidence files at rest: which files are accepted, how much a department may store per
period, and SM4 encryption under a key that never enters the database.

    accepted   pdf, docx, xlsx, png, jpeg, gif, and zip archives holding only those, told
               by their content (a renamed .exe is refused, so is a .pdf that is a png)
    quota      bytes per department per period (``evidence quota``), default below
    at rest    SM4-GCM, 96-bit nonce, the file's SHA-256 and size as associated data;
               ``content`` = nonce ‖ ciphertext ‖ tag, ``key_id`` the key's fingerprint
    the key    32 hex digits in PLANWATCH_EVIDENCE_KEY, or in the file PLANWATCH_EVIDENCE_KEY_FILE
               names (readable by its owner only); ``planwatch evidence keygen -o FILE`` makes one

Reading decrypts and checks the SHA-256 again; a wrong key or a changed blob is refused.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import stat
import zipfile
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from ..errors import ConflictError, PlanwatchError, StoreError, ValidationError
from .access import require
from .audit import record
from .schema import Department, Evidence, LedgerSetting, ProgressReport

# Evidence is a scan or a photo of a signed document; 20 MB keeps a ledger database portable.
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
# Per department and period: a quarter's reports with a few scans each fit in 200 MB, and ten
# departments' quarters keep a SQLite ledger within what its online backup copies in seconds.
DEFAULT_QUOTA_BYTES = 200 * 1024 * 1024
QUOTA_SETTING = "evidence_quota"
# A zip of evidence expands to at most this much and holds at most this many files (zip bombs).
MAX_ZIP_EXPANDED = 4 * MAX_EVIDENCE_BYTES
MAX_ZIP_MEMBERS = 500
KEY_ENV, KEY_FILE_ENV = "PLANWATCH_EVIDENCE_KEY", "PLANWATCH_EVIDENCE_KEY_FILE"
CIPHER = "sm4-gcm"
NONCE_BYTES, TAG_BYTES = 12, 16

# type → (file name endings it may carry, how its content starts)
SIGNATURES: dict[str, tuple[tuple[str, ...], tuple[bytes, ...]]] = {
    "pdf": ((".pdf",), (b"%PDF-",)),
    "png": ((".png",), (b"\x89PNG\r\n\x1a\n",)),
    "jpeg": ((".jpg", ".jpeg"), (b"\xff\xd8\xff",)),
    "gif": ((".gif",), (b"GIF87a", b"GIF89a")),
    "docx": ((".docx",), (b"PK\x03\x04",)),
    "xlsx": ((".xlsx",), (b"PK\x03\x04",)),
    "zip": ((".zip",), (b"PK\x03\x04", b"PK\x05\x06")),
}
# The part each Office Open XML type must hold; a macro project makes it something else.
OOXML_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}


class EvidenceKeyError(PlanwatchError):
    """No evidence key, or one that cannot be used."""


def file_kind(name: str, content: bytes) -> str:
    """The allowed type of a file from its content, checked against its name; raises ValueError.

    ``file_kind("验收报告.pdf", b"%PDF-1.7…")`` → ``"pdf"``"""
    kind = _sniff(content)
    if kind is None:
        raise ValueError(f"its content is none of {', '.join(SIGNATURES)}")
    suffix = Path(name).suffix.lower()
    if suffix not in SIGNATURES[kind][0]:
        raise ValueError(f"its content is {kind}, but the name ends {suffix or 'without an extension'}")
    return kind


def _sniff(content: bytes, depth: int = 0) -> str | None:
    for kind in ("pdf", "png", "jpeg", "gif"):
        if content.startswith(SIGNATURES[kind][1]):
            return kind
    if not content.startswith(SIGNATURES["zip"][1]):
        return None
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        names = set(archive.namelist())
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise ValueError("it carries macros (vbaProject.bin)")
        if "[Content_Types].xml" in names:
            for kind, part in OOXML_PARTS.items():
                if part in names:
                    return kind
        return "zip" if depth == 0 and _zip_of_allowed(archive) else None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError) as exc:
        raise ValueError(f"it is a damaged or unreadable zip ({exc})") from exc


def _zip_of_allowed(archive: zipfile.ZipFile) -> bool:
    members = [i for i in archive.infolist() if not i.is_dir()]
    if len(members) > MAX_ZIP_MEMBERS or sum(i.file_size for i in members) > MAX_ZIP_EXPANDED:
        raise ValueError(f"the zip holds over {MAX_ZIP_MEMBERS} files or expands past {MAX_ZIP_EXPANDED:,} bytes")
    budget = MAX_ZIP_EXPANDED
    for info in members:
        if info.flag_bits & 0x1:
            raise ValueError(f"{info.filename} in the zip is encrypted")
        with archive.open(info) as member:
            data = member.read(budget + 1)  # bounded by what is left, whatever the headers claim
        budget -= len(data)
        if budget < 0:
            raise ValueError(f"the zip expands past {MAX_ZIP_EXPANDED:,} bytes")
        kind = _sniff(data, depth=1)
        if kind is None or kind == "zip":
            raise ValueError(f"{info.filename} in the zip is not pdf, docx, xlsx or an image")
        file_kind(info.filename, data)
    return True


def read_evidence_file(path: str | Path) -> tuple[str, bytes, str]:
    """A file to attach: name, bytes and sniffed type, or a ValidationError naming the file."""
    file = Path(path)
    if not file.is_file():
        raise ValidationError(["no such file"], str(path))
    size = file.stat().st_size
    if size > MAX_EVIDENCE_BYTES:
        raise ValidationError([f"{size:,} bytes is over the {MAX_EVIDENCE_BYTES:,}-byte limit for evidence"], str(path))
    content = file.read_bytes()
    try:
        kind = file_kind(file.name, content)
    except ValueError as exc:
        raise ValidationError([f"not accepted as evidence: {exc}"], str(path)) from exc
    return file.name, content, kind


# --- the key -----------------------------------------------------------------------------


def evidence_key() -> bytes:
    """The SM4 key from the environment or the key file; a clear error when there is none."""
    raw, where = os.environ.get(KEY_ENV, ""), KEY_ENV
    if not raw and (key_file := os.environ.get(KEY_FILE_ENV)):
        raw, where = _key_file_text(Path(key_file)), key_file
    if not raw:
        raise EvidenceKeyError(f"evidence is stored encrypted and no key is set: put 32 hex digits in {KEY_ENV}, or a key "
                               f"file's path in {KEY_FILE_ENV} (`planwatch evidence keygen -o FILE` makes one)")
    if not re.fullmatch(r"[0-9a-fA-F]{32}", raw.strip()):
        raise EvidenceKeyError(f"the evidence key in {where} is not 32 hex digits (an SM4 key is 128 bits)")
    return bytes.fromhex(raw.strip())


def _key_file_text(path: Path) -> str:
    try:
        mode = path.stat().st_mode
        if os.name == "posix" and mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise EvidenceKeyError(f"{path}: the evidence key file is readable by others; chmod 600 it")
        return path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise EvidenceKeyError(f"{path}: cannot read the evidence key file ({exc})") from exc


def key_id(key: bytes) -> str:
    """A fingerprint that names the key in each row without revealing it."""
    return hashlib.sha256(b"planwatch evidence key\n" + key).hexdigest()[:16]


def write_key_file(path: str | Path) -> dict:
    """A new random key in a file only its owner can read."""
    out = Path(path)
    if out.exists():
        raise StoreError(f"{out}: exists; a key file is never overwritten (its evidence would be unreadable)")
    key = secrets.token_bytes(16)
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key.hex() + "\n")
    return {"file": str(out), "key_id": key_id(key), "use": f"export {KEY_FILE_ENV}={out}"}


# --- encryption ----------------------------------------------------------------------------


def _aad(sha256: str, size: int) -> bytes:
    return f"planwatch evidence\n{sha256}\n{size}".encode("ascii")


def seal(content: bytes, key: bytes, sha256: str) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    nonce = secrets.token_bytes(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(_aad(sha256, len(content)))
    return nonce + encryptor.update(content) + encryptor.finalize() + encryptor.tag


def open_sealed(blob: bytes, key: bytes, sha256: str, size: int) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    nonce, body, tag = blob[:NONCE_BYTES], blob[NONCE_BYTES:-TAG_BYTES], blob[-TAG_BYTES:]
    try:
        decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(_aad(sha256, size))
        return decryptor.update(body) + decryptor.finalize()
    except (InvalidTag, ValueError) as exc:
        raise ConflictError("does not decrypt under the configured key: the stored file was changed") from exc


def store_evidence(session: Session, who: str, report: ProgressReport, name: str, content: bytes, kind: str,
                   key: bytes) -> Evidence:
    """Encrypt and add one file to a report (in the caller's transaction), audited."""
    session.flush()  # the report needs its id
    digest = hashlib.sha256(content).hexdigest()
    ev = Evidence(report_id=report.id, filename=name, sha256=digest, size=len(content), content=seal(content, key, digest),
                  added_by=who, cipher=CIPHER, key_id=key_id(key), kind=kind)
    session.add(ev)
    session.flush()
    record(session, who, "create", "evidence", ev.id, new={"report": report.id, "file": name, "sha256": digest, "size": len(content),
                                                         "type": kind})
    return ev


def evidence_content(ev: Evidence, key: bytes | None = None) -> bytes:
    """The file as it was attached: decrypted, and its SHA-256 checked."""
    content = ev.content
    if ev.cipher:
        key = key or evidence_key()
        if ev.key_id and ev.key_id != key_id(key):
            raise ConflictError(f"evidence #{ev.id} ({ev.filename}) was encrypted under key {ev.key_id}, "
                                f"not the configured key {key_id(key)}")
        try:
            content = open_sealed(ev.content, key, ev.sha256, ev.size)
        except ConflictError as exc:
            raise ConflictError(f"evidence #{ev.id} ({ev.filename}) {exc}") from exc
    if hashlib.sha256(content).hexdigest() != ev.sha256:
        raise ConflictError(f"evidence #{ev.id} ({ev.filename}) no longer matches its SHA-256")
    return content


# --- quota ---------------------------------------------------------------------------------


def quota_setting(session: Session) -> dict:
    row = session.get(LedgerSetting, QUOTA_SETTING)
    return dict(row.value) if row else {"default": DEFAULT_QUOTA_BYTES, "departments": {}}


def quota_for(session: Session, department_id: int) -> int:
    setting = quota_setting(session)
    return int(setting.get("departments", {}).get(str(department_id), setting.get("default", DEFAULT_QUOTA_BYTES)))


def check_quota(session: Session, report: ProgressReport, adding: int, department_name: str, period_label: str) -> None:
    """Refuse files that would take the department's evidence for the period over its quota."""
    used = session.scalar(select(func.coalesce(func.sum(Evidence.size), 0)).join(
        ProgressReport, ProgressReport.id == Evidence.report_id).where(
        ProgressReport.department_id == report.department_id, ProgressReport.period_id == report.period_id)) or 0
    quota = quota_for(session, report.department_id)
    if used + adding > quota:
        raise ValidationError([f"{department_name} has {used:,} bytes of evidence for {period_label}; {adding:,} more would pass "
                               f"its quota of {quota:,} bytes (`planwatch evidence quota` changes it)"], "evidence")


def set_quota(session: Session, who: str, quota_bytes: int, department_id: int | None) -> dict:
    if quota_bytes < 0:
        raise ValidationError([f"a quota of {quota_bytes} bytes is negative"], "evidence quota")
    old = quota_setting(session)
    new = {"default": old.get("default", DEFAULT_QUOTA_BYTES), "departments": dict(old.get("departments", {}))}
    if department_id is None:
        new["default"] = quota_bytes
    else:
        new["departments"][str(department_id)] = quota_bytes
    row = session.get(LedgerSetting, QUOTA_SETTING)
    if row is None:
        session.add(LedgerSetting(name=QUOTA_SETTING, value=new))
    else:
        row.value = new
    record(session, who, "update", "ledger_setting", None, old={QUOTA_SETTING: old}, new={QUOTA_SETTING: new})
    return new


def parse_size(text: str) -> int:
    """``"200MB"`` → 209715200; ``"1.5 GB"``, ``"500k"`` and plain bytes too."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*", str(text).lower())
    if not m:
        raise ValidationError([f"{text!r} is not a size such as 200MB, 1GB or 500000"], "evidence quota")
    return int(float(m.group(1)) * {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[m.group(2)])


def evidence_quota(engine: Engine, size: str | int | None = None, department: str | None = None, actor: str | None = None) -> dict:
    """The evidence quota per department and period; with ``size``, set it (for one department,
    or the default for all). ``evidence_quota(engine, "500MB", "区水务局")``"""
    from .people import find_department

    with Session(engine) as session, session.begin():
        if size is None:
            setting = quota_setting(session)
        else:
            who = require(session, actor, "settings").name
            dep_id = find_department(session, department).id if department else None
            setting = set_quota(session, who, parse_size(str(size)), dep_id)
        names = dict(session.execute(select(Department.id, Department.name)).all())
        return {"default": setting.get("default", DEFAULT_QUOTA_BYTES),
                "departments": {names.get(int(k), k): v for k, v in setting.get("departments", {}).items()}}


def encrypt_stored_evidence(engine: Engine, actor: str | None = None) -> dict:
    """Encrypt the files stored before encryption existed (cipher ""), each checked first."""
    key = evidence_key()
    with Session(engine) as session, session.begin():
        who = require(session, actor, "settings").name
        done = 0
        for ev in session.scalars(select(Evidence).where(Evidence.cipher == "")):
            content = evidence_content(ev)
            ev.content, ev.cipher, ev.key_id = seal(content, key, ev.sha256), CIPHER, key_id(key)
            record(session, who, "update", "evidence", ev.id, old={"cipher": ""}, new={"cipher": CIPHER, "key_id": ev.key_id})
            done += 1
        return {"encrypted": done, "key_id": key_id(key)}
