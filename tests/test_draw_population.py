"""The frozen population.txt as the database writes it: the same bytes as formatting the rows in Python, on
either backend, including names with white space, TABs and backslashes; and lines found by binary search."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import col

from inspections.draw.algorithm import format_population
from inspections.draw.population import drop_lines, has_line, read_population
from inspections.draw.rows import Target
from seeds.generate import make_uscc
from supervise.db import unit_of_work
from supervise.models import Enterprise

NAMES = ["杭州甲餐饮有限公司", "乙  商行 ", "丙\u3000超市", "", "A B", "中文\t名称", "反\\斜杠", "丁有限公司"]


def _firms(engine: Any, names: list[str]) -> list[Target]:
    out = []
    with unit_of_work(engine) as session:
        for n, name in enumerate(names):
            uscc = make_uscc(700_000 + n * 7, "330102")
            town = None if n % 3 == 0 else f"330102{n % 2 + 1:03d}"
            tier = "ABCD"[n % 4]
            session.add(
                Enterprise(
                    uscc=uscc,
                    name=name,
                    legal_rep_name="王五",
                    region_code="330102",
                    township_code=town,
                    industry_code="H62",
                    registered_on=date(2020, 1, 1),
                    risk_tier=tier,
                )
            )
            out.append(Target(uscc, tier, town or "330102", name))
    return out


def _read(engine: Any, firms: list[Target]) -> str:
    with unit_of_work(engine) as session:
        return read_population(session, [col(Enterprise.uscc).in_([f.uscc for f in firms])])


def test_the_database_writes_population_txt_as_python_formats_the_rows(engine: Any, province: Any) -> None:
    plain = _firms(engine, [n for n in NAMES if "\t" not in n and "\\" not in n])
    assert _read(engine, plain) == format_population(plain)


def test_a_name_copy_would_escape_is_formatted_from_the_rows(engine: Any, province: Any) -> None:
    firms = _firms(engine, NAMES)
    text = _read(engine, firms)
    assert text == format_population(firms)
    assert "中文 名称" in text and "反\\斜杠" in text and text.count("\n") == len(NAMES)


def test_lines_are_found_and_dropped_by_usccs() -> None:
    firms = [Target(make_uscc(n, "330102"), "B", "330102", f"企{n}") for n in range(0, 500, 3)]
    text = format_population(firms)
    keys = [f.uscc for f in firms]
    assert all(has_line(text, k) for k in keys)
    assert not any(has_line(text, make_uscc(n, "330102")) for n in range(1, 500, 3))
    dropped = set(keys[::7]) | {keys[0], keys[-1]}
    rest = drop_lines(text, [*dropped, make_uscc(1, "330102")])
    assert rest == format_population(f for f in firms if f.uscc not in dropped)
    assert drop_lines(text, []) == text and drop_lines("", keys) == "" and not has_line("", keys[0])


def test_tier_digests_read_in_runs_equal_the_digests_of_the_whole_lists(monkeypatch: Any) -> None:
    import hashlib

    from inspections.draw import frozen

    firms = [Target(make_uscc(n, "330102"), "ABBCD"[n % 5], "330102", f"企{n}") for n in range(0, 900, 7)]
    text, salt = format_population(firms), "5a" * 32
    whole = frozen.tier_digests(salt, text)
    monkeypatch.setattr(frozen, "_LINES", 1)  # a run of about one line: every boundary is crossed
    runs = [frozen.tier_digests(salt, text, processes) for processes in (1, 2, 3)]
    for digests in (whole, *runs):
        for tier in "ABCD":
            keys = [f.uscc for f in firms if f.tier == tier]
            assert digests.counts[tier] == len(keys)
            assert digests.sealed[tier] == hashlib.sha256(f"{salt}\n{chr(10).join(keys)}".encode()).hexdigest()
        assert digests.firms == hashlib.sha256("\n".join(f.uscc for f in firms).encode()).hexdigest()
    monkeypatch.setattr(frozen, "_CHUNK", 5)  # encoded five characters at a time, CJK names included
    assert frozen.sealed_digest(salt, text) == hashlib.sha256(f"{salt}\n{text}".encode()).hexdigest()


def test_the_strict_form_read_in_runs_names_the_same_first_problem(monkeypatch: Any) -> None:
    from inspections.draw import frozen

    lines = format_population(
        Target(make_uscc(n, "330102"), "ABCD"[n % 4], "330102001", f"企{n}") for n in range(0, 600, 5)
    ).splitlines(keepends=True)
    swapped = lines.copy()
    swapped[40], swapped[41] = swapped[41], swapped[40]
    malformed = swapped.copy()
    malformed[100] = malformed[100].replace("\t", " ", 1)
    repeated = lines[:60] + lines[59:]
    cases = {
        "".join(lines): None,
        "".join(swapped): "line 42",
        "".join(malformed): "line 101",
        "".join(repeated): "line 61",
    }
    for text, where in cases.items():
        whole = frozen.lines_problem(text, "population.txt")
        monkeypatch.setattr(frozen, "_LINES", 1)  # runs of a line or two: every boundary is crossed
        runs = [frozen.lines_problem(text, "population.txt", processes) for processes in (1, 2, 3, 7)]
        monkeypatch.undo()
        assert runs == [whole] * 4
        assert (whole is None) if where is None else (whole is not None and f"{where} " in whole)
