"""`supervise draw verify`: the public verifier, light enough to start without the application.

It needs only the published files, so `supervise.entry` runs it without importing Flask, the ORM or any
configuration: anyone can check a draw on a machine with no database."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from inspections.draw.bundles import verify_files
from inspections.draw.frozen import FULL_BUNDLE

KNOWN = (*FULL_BUNDLE, "firms.txt")


def bundle_paths(folder: Path) -> dict[str, Path]:
    """The bundle's files in a folder: each under its own name, or as downloaded (D-…-record.json), when one fits."""
    found = {}
    for name in KNOWN:
        exact = folder / name
        prefixed = sorted(p for p in folder.glob(f"*-{name}") if p.is_file())
        if exact.is_file():
            found[name] = exact
        elif len(prefixed) == 1:  # two draws' files in one folder stay ambiguous: name them by hand
            found[name] = prefixed[0]
    return found


@click.command("verify")
@click.argument("bundle", type=click.Path(exists=True, path_type=Path))
@click.option("--population", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="v1: population.txt")
@click.option("--inspectors", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="v1: inspectors.txt")
@click.option(
    "--freeze-digest",
    "expected",
    default=None,
    help="the freeze digest copied from the task's public notice (抽查任务公告) when it was frozen",
)
@click.option(
    "--beacon-results",
    "results",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="official results, one per line: SOURCE<TAB>ISSUE<TAB>VALUE",
)
def verify(
    bundle: Path, population: Path | None, inspectors: Path | None, expected: str | None, results: Path | None
) -> None:
    """Recompute a draw from a bundle folder (or a v1 record.json with its two files); print MATCH or MISMATCH.

    A full bundle is recomputed entirely; a public bundle (record.json and firms.txt) allows the checks listed."""
    if bundle.is_dir():
        paths = bundle_paths(bundle)
    else:
        paths = {"record.json": bundle}
        if population and inspectors:
            paths |= {"population.txt": population, "inspectors.txt": inspectors}
    try:
        files = {name: path.read_bytes().decode("utf-8") for name, path in paths.items()}
    except UnicodeDecodeError as exc:
        click.echo(f"MISMATCH: a file is not UTF-8: {exc}")
        sys.exit(1)
    report = verify_files(files)
    labels = {"full": "完整包", "public": "公开包", "v1": "第1版记录", "unknown": "无法识别"}
    click.echo(f"核验的文件包：{labels.get(report.bundle, report.bundle)}（{'、'.join(sorted(files))}）")
    for check in report.checks:
        click.echo(f"  已核验：{check}")
    for missing in report.not_checked:
        click.echo(f"  未核验：{missing}")
    problem = _check_beacon(files.get("record.json", ""), results) if report.ok else None
    if problem is not None:
        click.echo(f"MISMATCH: {problem}")
        sys.exit(1)
    digest = _freeze_digest(files.get("record.json", ""))
    if report.ok and digest is not None:
        if expected is None:
            # Every check above is of the bundle against itself: only the notice shows the freeze came first.
            click.echo(
                f"  注意：以上只证明文件包内部一致。冻结摘要为 {digest}，请与抽查任务公告在冻结时公布的摘要逐字比对"
                "（或以 --freeze-digest 给出，由本程序比对）"
            )
        elif expected.strip().lower() != digest:
            click.echo(f"MISMATCH: 冻结摘要 {digest} 与抽查任务公告公布的 {expected.strip()} 不符")
            sys.exit(1)
        else:
            click.echo("  已核验：冻结摘要与抽查任务公告公布的一致")
    click.echo(str(report))
    if not report.ok:
        sys.exit(1)


def _freeze_digest(record: str) -> str | None:
    """The freeze digest a v2 record carries (None for v1, which had no freeze)."""
    try:
        freeze = json.loads(record).get("freeze")
    except (ValueError, AttributeError):
        return None
    digest = freeze.get("digest") if isinstance(freeze, dict) else None
    return digest if isinstance(digest, str) else None


def _check_beacon(record: str, results: Path | None) -> str | None:
    """Print the beacon for the manual check, or compare it with a file of official results; a mismatch, or None."""
    beacon = _beacon(record)
    if beacon is None:
        return None
    source, issue, at, value = beacon
    click.echo(f"  信标：来源 {source}，期号 {issue}，开奖时间 {at}，记录的值 {value}")
    if results is None:
        click.echo(
            "  注意：本程序不联网，没有核对信标的值；请与官方公布的该期开奖结果比对（或以 --beacon-results 给出）"
        )
        return None
    official = _official(results.read_text(encoding="utf-8"), source, issue)
    if official is None:
        return f"信标结果文件中没有 {source} {issue} 的结果"
    if official != value:
        return f"信标 {source} {issue} 的官方结果为 {official}，记录为 {value}"
    click.echo("  已核验：信标的值与所给官方结果一致")
    return None


def _beacon(record: str) -> tuple[str, str, str, str] | None:
    """A v2 record's beacon: the source, issue and time fixed at the freeze, and the value entered (or None)."""
    try:
        data = json.loads(record)
        planned, entered = data["freeze"]["beacon"], data["seed"]["beacon"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(planned, dict) or not isinstance(entered, dict):
        return None
    return planned["source"], planned["issue"], planned["at"], entered["value"]


def _official(text: str, source: str, issue: str) -> str | None:
    """The value of one issue in a file of official results (SOURCE<TAB>ISSUE<TAB>VALUE per line)."""
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[0] == source and parts[1] == issue:
            return parts[2]
    return None
