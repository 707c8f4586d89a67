"""Evidence at rest: accepted types told by content, the quota per department and period, SM4
encryption under a key from the environment or a key file, the hash checked on every read."""

from __future__ import annotations

import io
import json
import os
import zipfile

import pytest
from sqlalchemy import text

from planwatch.errors import ConflictError, ValidationError
from planwatch.store import ReportInput, attach_evidence, list_evidence, list_reports, make_engine, submit_report
from planwatch.store.evidence import EvidenceKeyError, file_kind

from .test_ledger import DEP, assigned  # noqa: F401  (a fixture)

MARKER = "竣工验收意见书 第七号 这段文字不应以明文出现在数据库里".encode()
PDF = b"%PDF-1.7\n" + MARKER * 20 + b"\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


@pytest.fixture
def report_id(assigned):  # noqa: F811
    return submit_report(make_engine(assigned), "T6", "2024Q2", DEP, ReportInput("推进中", 10))["id"]


def _write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _audit_count(engine) -> int:
    with engine.connect() as c:
        return c.execute(text("SELECT COUNT(*) FROM audit_log")).scalar_one()


def test_stored_evidence_is_ciphertext_and_round_trips(assigned, report_id, tmp_path):  # noqa: F811
    engine = make_engine(assigned)
    row = attach_evidence(engine, report_id, _write(tmp_path, "验收报告.pdf", PDF))
    assert (row["type"], row["encrypted"], row["size"]) == ("pdf", True, len(PDF))
    with engine.connect() as c:
        blob, cipher, key_id = c.execute(text("SELECT content, cipher, key_id FROM evidence")).one()
    blob = bytes(blob)
    assert cipher == "sm4-gcm" and len(key_id) == 16
    assert MARKER not in blob and MARKER[:12] not in blob and b"%PDF" not in blob and len(blob) == len(PDF) + 28
    assert os.environ["PLANWATCH_EVIDENCE_KEY"] not in blob.hex() and os.environ["PLANWATCH_EVIDENCE_KEY"] not in json.dumps(
        [str(v) for v in _all_values(engine)])
    [saved] = list_evidence(engine, report_id, with_content=True)
    assert saved["content"] == PDF


def _all_values(engine):
    """Every value in every table: the key must be in none of them."""
    from sqlalchemy import inspect

    with engine.connect() as c:
        for table in inspect(engine).get_table_names():
            yield from (v for row in c.execute(text(f'SELECT * FROM "{table}"')) for v in row)


def test_a_wrong_key_or_a_changed_blob_is_refused(assigned, report_id, tmp_path, monkeypatch):  # noqa: F811
    engine = make_engine(assigned)
    attach_evidence(engine, report_id, _write(tmp_path, "a.pdf", PDF))
    monkeypatch.setenv("PLANWATCH_EVIDENCE_KEY", "ff" * 16)
    with pytest.raises(ConflictError, match="encrypted under key .* not the configured key"):
        list_evidence(engine, report_id, with_content=True)
    assert list_evidence(engine, report_id)[0]["file"] == "a.pdf"  # listing needs no key
    monkeypatch.setenv("PLANWATCH_EVIDENCE_KEY", "00112233445566778899aabbccddeeff")
    with engine.begin() as c:
        blob = bytes(c.execute(text("SELECT content FROM evidence")).scalar_one())
        c.execute(text("UPDATE evidence SET content = :b"), {"b": blob[:40] + bytes([blob[40] ^ 1]) + blob[41:]})
    with pytest.raises(ConflictError, match="does not decrypt under the configured key"):
        list_evidence(engine, report_id, with_content=True)


def test_a_missing_key_is_a_clear_error_and_writes_nothing(run_cli, assigned, report_id, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.delenv("PLANWATCH_EVIDENCE_KEY")
    engine = make_engine(assigned)
    before = _audit_count(engine)
    with pytest.raises(EvidenceKeyError, match="PLANWATCH_EVIDENCE_KEY.*PLANWATCH_EVIDENCE_KEY_FILE"):
        attach_evidence(engine, report_id, _write(tmp_path, "a.pdf", PDF))
    result = run_cli("report", "submit", "T5", "--period", "2024Q2", "--department", DEP, "--status", "推进中",
                     "--evidence", tmp_path / "a.pdf", "--db", assigned)
    assert result.exit_code == 1 and result.output.startswith("error: evidence is stored encrypted and no key is set")
    assert [r["item"] for r in list_reports(engine)] == ["T6"] and _audit_count(engine) == before
    monkeypatch.setenv("PLANWATCH_EVIDENCE_KEY", "not hex")
    with pytest.raises(EvidenceKeyError, match="not 32 hex digits"):
        attach_evidence(engine, report_id, tmp_path / "a.pdf")


def test_a_key_file_works_and_must_be_private(run_cli, assigned, report_id, tmp_path, monkeypatch):  # noqa: F811
    made = run_cli("evidence", "keygen", "-o", tmp_path / "evidence.key", "--format", "json")
    assert made.exit_code == 0, made.output
    assert oct((tmp_path / "evidence.key").stat().st_mode & 0o777) == "0o600"
    assert run_cli("evidence", "keygen", "-o", tmp_path / "evidence.key").exit_code == 1  # never overwritten
    monkeypatch.delenv("PLANWATCH_EVIDENCE_KEY")
    monkeypatch.setenv("PLANWATCH_EVIDENCE_KEY_FILE", str(tmp_path / "evidence.key"))
    engine = make_engine(assigned)
    attach_evidence(engine, report_id, _write(tmp_path, "p.png", PNG))
    assert list_evidence(engine, report_id, with_content=True)[0]["content"] == PNG
    os.chmod(tmp_path / "evidence.key", 0o644)
    with pytest.raises(EvidenceKeyError, match="readable by others"):
        list_evidence(engine, report_id, with_content=True)


ACCEPTED = {
    "报告.pdf": (PDF, "pdf"), "照片.png": (PNG, "png"), "照片.JPG": (JPEG, "jpeg"), "动图.gif": (b"GIF89a" + b"\0" * 20, "gif"),
    "说明.docx": (DOCX, "docx"), "台账.xlsx": (XLSX, "xlsx"), "佐证.zip": (_zip({"a.pdf": PDF, "b/c.png": PNG, "d.docx": DOCX}), "zip"),
}
REFUSED = {
    "程序.pdf": (b"MZ\x90\x00" + b"\0" * 60, "content is none of"),
    "照片.pdf": (PNG, "content is png, but the name ends .pdf"),
    "说明.txt": (b"plain text", "content is none of"),
    "报告": (PDF, "without an extension"),
    "宏.docx": (_zip({"[Content_Types].xml": b"", "word/document.xml": b"", "word/vbaProject.bin": b""}), "macros"),
    "混合.zip": (_zip({"a.pdf": PDF, "run.sh": b"#!/bin/sh"}), "run.sh in the zip is not"),
    "套娃.zip": (_zip({"inner.zip": _zip({"a.pdf": PDF})}), "inner.zip in the zip is not"),
    "坏.zip": (b"PK\x03\x04" + b"\0" * 30, "damaged or unreadable zip"),
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_accepted_types_are_told_by_content(name):
    data, kind = ACCEPTED[name]
    assert file_kind(name, data) == kind


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_refused_type_writes_nothing(assigned, report_id, tmp_path, name):  # noqa: F811
    data, message = REFUSED[name]
    engine = make_engine(assigned)
    before = _audit_count(engine)
    good = _write(tmp_path, "ok.pdf", PDF)
    with pytest.raises(ValidationError, match=message):
        attach_evidence(engine, report_id, [good, _write(tmp_path, name, data)])
    assert list_evidence(engine, report_id) == [] and _audit_count(engine) == before


def test_the_quota_per_department_and_period(run_cli, assigned, report_id, tmp_path):  # noqa: F811
    engine = make_engine(assigned)
    set_quota = run_cli("evidence", "quota", "3KB", "--department", DEP, "--db", assigned, "--format", "json")
    assert set_quota.exit_code == 0 and json.loads(set_quota.output)["departments"] == {DEP: 3072}
    big = _write(tmp_path, "a.pdf", PDF + b"0" * (2048 - len(PDF)))
    attach_evidence(engine, report_id, big)
    with pytest.raises(ValidationError, match=f"{DEP} has 2,048 bytes of evidence for 2024Q2; 2,048 more would pass its quota of 3,072"):
        attach_evidence(engine, report_id, big)
    other = submit_report(engine, "T5", "2024Q2", DEP, ReportInput("推进中", 10))["id"]
    with pytest.raises(ValidationError, match="quota"):  # the quota is the department's, across its reports
        attach_evidence(engine, other, big)
    assert run_cli("period", "open", "2024Q3", "--db", assigned).exit_code == 0
    later = submit_report(engine, "T6", "2024Q3", DEP, ReportInput("推进中", 20))["id"]
    attach_evidence(engine, later, big)  # a new period starts afresh
    assert len(list_evidence(engine, report_id)) == 1 and list_evidence(engine, other) == []
    audit = run_cli("audit", "--entity", "ledger_setting", "--db", assigned, "--format", "json")
    assert json.loads(audit.output)[0]["new"]["evidence_quota"]["departments"]


def test_files_stored_before_encryption_are_encrypted_in_place(run_cli, assigned, report_id, tmp_path):  # noqa: F811
    import hashlib

    engine = make_engine(assigned)
    with engine.begin() as c:  # as a ledger made before this version holds its files
        c.execute(text("INSERT INTO evidence (report_id, filename, sha256, size, content, added_by, cipher) "
                       "VALUES (:r, 'old.pdf', :h, :n, :c, 'local', '')"),
                  {"r": report_id, "h": hashlib.sha256(PDF).hexdigest(), "n": len(PDF), "c": PDF})
    assert list_evidence(engine, report_id, with_content=True)[0]["content"] == PDF
    result = run_cli("evidence", "encrypt", "--db", assigned, "--format", "json")
    assert result.exit_code == 0 and json.loads(result.output)["encrypted"] == 1
    with engine.connect() as c:
        assert MARKER not in bytes(c.execute(text("SELECT content FROM evidence")).scalar_one())
    assert list_evidence(engine, report_id, with_content=True)[0]["content"] == PDF
