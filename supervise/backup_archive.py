"""A whole installation in one file: the database dump plus every file the instance folder keeps (attachments,
archived report PDFs, the audit anchors and the witness), with a manifest of their SHA-256s.

`backup_archive` copies the anchors and the witness first (they may then only lag the database, never lead it),
takes the database's consistent snapshot, then the content-addressed files (any written meanwhile are extra,
never missing). `restore_archive` checks every hash before it touches anything, loads the database into an empty
one, then writes the files into the instance folder."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import Engine

from supervise import clock
from supervise.backup import BackupError, backup, restore

FORMAT = "supervise-backup/2"
JOURNALS = ("audit-anchors.jsonl", "audit-witness.jsonl")  # append-only: copied before the database
FILES = "files"  # attachments/ and reports/, content-addressed: copied after the database
CHUNK = 1 << 20


def is_archive(path: Path) -> bool:
    """True for a backup written by backup_archive (a tar with a manifest), False for a bare database dump."""
    return tarfile.is_tarfile(path)


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _instance_files(instance: Path) -> Iterator[tuple[str, Path]]:
    root = instance / FILES
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.name.endswith(".part"):  # a file being written is not kept yet
                yield path.relative_to(instance).as_posix(), path


def backup_archive(engine: Engine, instance: Path, target: Path) -> dict[str, Any]:
    """Write the archive to `target`; return its manifest."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    entries: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        staged: list[tuple[str, Path]] = []
        for name in JOURNALS:
            if (instance / name).exists():
                copy = Path(tmp) / name
                shutil.copyfile(instance / name, copy)
                staged.append((f"instance/{name}", copy))
        database = Path(tmp) / ("database.sqlite3" if engine.dialect.name == "sqlite" else "database.pgdump")
        backup(engine, database)
        staged.append((database.name, database))
        staged += [(f"instance/{rel}", path) for rel, path in _instance_files(instance)]
        for arcname, path in staged:
            entries.append({"path": arcname, "sha256": _digest(path), "size": path.stat().st_size})
        manifest = {
            "format": FORMAT,
            "created_at": clock.now().isoformat(),
            "backend": engine.dialect.name,
            "database": database.name,
            "files": entries,
        }
        with tarfile.open(partial, "w") as tar:
            raw = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))
            for (arcname, path), entry in zip(staged, entries, strict=True):
                info = tar.gettarinfo(str(path), arcname)
                info.size = entry["size"]  # a content-addressed file never grows; a journal was copied
                with path.open("rb") as f:
                    tar.addfile(info, f)
    partial.replace(target)
    return manifest


def _safe(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not PurePosixPath(name).is_absolute() and ".." not in parts


def read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    """The archive's manifest, checked for its format and safe paths."""
    try:
        member = tar.extractfile("manifest.json")
        manifest = json.loads(member.read()) if member else None
    except (KeyError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("备份文件缺少清单（manifest.json）或格式不是 supervise 的备份")
    for entry in manifest.get("files", []):
        if not _safe(entry.get("path", "")):
            raise BackupError(f"备份清单中的路径不安全：{entry.get('path')!r}")
    return manifest


def check_archive(tar: tarfile.TarFile, manifest: dict[str, Any]) -> None:
    """Compare every file with the manifest's SHA-256 and size; name the first that differs or is missing."""
    listed = {e["path"]: e for e in manifest["files"]}
    present = {m.name for m in tar.getmembers() if m.isfile()} - {"manifest.json"}
    if present - set(listed):
        raise BackupError(f"备份中有清单未列出的文件：{sorted(present - set(listed))[0]}")
    for path, entry in listed.items():
        try:
            f = tar.extractfile(path)
        except KeyError:
            f = None
        if f is None:
            raise BackupError(f"备份缺少清单列出的文件：{path}")
        h, size = hashlib.sha256(), 0
        while chunk := f.read(CHUNK):
            h.update(chunk)
            size += len(chunk)
        if h.hexdigest() != entry["sha256"] or size != entry["size"]:
            raise BackupError(f"备份中的文件与清单的 SHA-256 不符（已损坏或被改动）：{path}")


def restore_archive(engine: Engine, instance: Path, source: Path) -> dict[str, Any]:
    """Check the archive, load its database into this empty one and its files into the instance folder."""
    with tarfile.open(source) as tar:
        manifest = read_manifest(tar)
        check_archive(tar, manifest)
        for name in JOURNALS:
            if (instance / name).exists() and (instance / name).stat().st_size:
                raise BackupError(f"实例目录已有 {name}：只能恢复到新的实例目录")
        with tempfile.TemporaryDirectory() as tmp:
            database = Path(tmp) / manifest["database"]
            _extract(tar, manifest["database"], database)
            restore(engine, database)
        for entry in manifest["files"]:
            if entry["path"].startswith("instance/"):
                _extract(tar, entry["path"], instance / entry["path"].removeprefix("instance/"))
    return manifest


def _extract(tar: tarfile.TarFile, name: str, target: Path) -> None:
    source = tar.extractfile(name)
    assert source is not None  # check_archive found every listed file
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + ".part")
    with part.open("wb") as out:
        shutil.copyfileobj(source, out, CHUNK)
    part.replace(target)
