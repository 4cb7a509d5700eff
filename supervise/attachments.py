"""Attachments (photos, scanned documents) stored content-addressed under the instance folder.

A file is kept once under its SHA-256, whatever it was called; the database keeps the digest, the name the
user gave it, its size and type. Only PDF, PNG and JPEG are taken, recognised by their first bytes (never by
the name the browser sends), and each is limited in size."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

from supervise.config import current
from supervise.errors import field_error

log = logging.getLogger(__name__)
MAX_BYTES = 5 * 1024 * 1024
MAX_FILES = 5
SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))


def _root() -> Path:
    path: Path = current().files_path / "attachments"
    path.mkdir(parents=True, exist_ok=True)
    return path


def kind_of(data: bytes) -> str | None:
    """The file's type from its first bytes, if it is one we take."""
    return next((kind for magic, kind in SIGNATURES if data.startswith(magic)), None)


def check_files(files: list[tuple[str, bytes]], *, field: str = "attachments") -> None:
    """Refuse too many files, a file too large, or one that is not PDF, PNG or JPEG (naming it)."""
    if len(files) > MAX_FILES:
        raise field_error(field, f"最多上传 {MAX_FILES} 个附件")
    for name, data in files:
        if len(data) > MAX_BYTES:
            raise field_error(field, f"附件 {name} 超过 {MAX_BYTES // 1024 // 1024} MB")
        if not data or kind_of(data) is None:
            raise field_error(field, f"附件 {name} 不是 PDF、PNG 或 JPEG 文件")


def store(files: list[tuple[str, bytes]], *, field: str = "attachments") -> list[dict[str, Any]]:
    """Check and keep the files; return what the database records of each (digest, name, size, type)."""
    check_files(files, field=field)
    kept = []
    for name, data in files:
        digest = hashlib.sha256(data).hexdigest()
        path = _root() / digest[:2] / digest
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".part")
            tmp.write_bytes(data)
            tmp.replace(path)  # a reader never sees half a file
        kept.append({"sha256": digest, "name": Path(name).name[:128], "size": len(data), "type": kind_of(data)})
    return kept


def read(digest: str) -> bytes:
    """The stored bytes of an attachment (FileNotFoundError if absent)."""
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise FileNotFoundError(digest)
    return (_root() / digest[:2] / digest).read_bytes()
