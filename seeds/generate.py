"""Deterministic generation of a demo province as plain rows (no database, no Flask).

Same seed and size give the same rows. Names come from Faker's zh_CN data; every USCC carries a
valid GB 11714 organisation-code check digit and a valid GB 32100 check digit."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from faker.providers.company import zh_CN as faker_company
from faker.providers.person import zh_CN as faker_person
from stdnum.cn import ric, uscc

from seeds.catalog import (
    CITY_WEIGHTS,
    DEPARTMENT_KINDS,
    INDUSTRIES,
    KIND_INDEX,
    KIND_SHORT,
    LICENSE_MATTERS,
    TOWNSHIP_SYLLABLES,
)
from seeds.regions import CITIES, PROVINCE

ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_SCRAMBLE = 48_271  # multiplier coprime to 10**8: a bijection from index to organisation code body
# GB 32100 weights and alphabet as python-stdnum defines them; validation everywhere else calls stdnum.
# Here, in the seeding hot loop, the sum over the fixed 8-character prefix is computed once per county.
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_ALPHABET = uscc._alphabet  # noqa: SLF001 - the same table stdnum validates with
_USCC_VALUE = {ch: i for i, ch in enumerate(_USCC_ALPHABET)}
_prefix_sums: dict[str, int] = {}


def org_code_check_digit(body: str) -> str:
    """Return the GB 11714 check character of an 8-character organisation code body."""
    total = sum(ORG_ALPHABET.index(ch) * w for ch, w in zip(body, ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def make_uscc(index: int, region_code: str, *, individual: bool = False) -> str:
    """Build a valid, unique USCC for the index-th entity registered in a region."""
    body = f"{(index * _SCRAMBLE + 10_000_019) % 100_000_000:08d}"
    prefix = ("92" if individual else "91") + region_code
    head = _prefix_sums.get(prefix)
    if head is None:
        head = _prefix_sums[prefix] = sum(_USCC_VALUE[c] * w for c, w in zip(prefix, _USCC_WEIGHTS, strict=False))
    digits = body + org_code_check_digit(body)
    total = head + sum(_USCC_VALUE[c] * w for c, w in zip(digits, _USCC_WEIGHTS[8:], strict=True))
    return prefix + digits + _USCC_ALPHABET[(31 - total) % 31]


@dataclass(frozen=True)
class Person:
    name: str
    id_number: str


@dataclass
class Province:
    """Reference rows of the province; enterprises and licences are streamed separately."""

    regions: list[dict[str, Any]]
    departments: list[dict[str, Any]]
    townships_by_county: dict[str, list[str]]
    county_weights: list[tuple[str, float]]


def _surnames() -> tuple[list[str], list[float]]:
    names = faker_person.Provider.last_names
    if isinstance(names, dict):
        return list(names.keys()), [float(v) for v in names.values()]
    return list(names), [1.0] * len(names)


def build_province(seed: int) -> Province:
    """Return regions (province, cities, counties, generated townships) and departments."""
    rng = random.Random(f"province:{seed}")
    regions: list[dict[str, Any]] = [dict(code=PROVINCE[0], name=PROVINCE[1], level="province", parent_code=None)]
    departments: list[dict[str, Any]] = []
    townships: dict[str, list[str]] = {}
    county_weights: list[tuple[str, float]] = []

    def add_departments(region_code: str, level: str, prefix: str, short: str) -> None:
        for kind, province_name, suffix, _spec in DEPARTMENT_KINDS:
            name = province_name if level == "省" else prefix + suffix
            departments.append(
                dict(
                    id=len(departments) + 1,
                    code=f"{region_code}-{kind}",
                    name=name,
                    kind=kind,
                    level=level,
                    region_code=region_code,
                    doc_prefix=short + KIND_SHORT[kind],
                )
            )

    add_departments(PROVINCE[0], "省", "", PROVINCE[1][0])
    for city_code, city_name, counties in CITIES:
        regions.append(dict(code=city_code, name=city_name, level="city", parent_code=PROVINCE[0]))
        add_departments(city_code, "市", city_name, city_name[0])
        for county_code, county_name in counties:
            regions.append(dict(code=county_code, name=county_name, level="county", parent_code=city_code))
            add_departments(
                county_code,
                "县",
                city_name + county_name if county_name.endswith("区") else county_name,
                city_name[0] + county_name[0],
            )
            county_weights.append((county_code, CITY_WEIGHTS[city_code] / len(counties)))
            count = rng.randint(6, 16)
            used: set[str] = set()
            codes = []
            for i in range(1, count + 1):
                while True:
                    stem = rng.choice(TOWNSHIP_SYLLABLES) + rng.choice(TOWNSHIP_SYLLABLES)
                    if stem not in used and stem[0] != stem[1]:
                        used.add(stem)
                        break
                suffix = "街道" if i <= max(2, count // 3) else rng.choice(("镇", "镇", "镇", "乡"))
                code = f"{county_code}{i:03d}"
                regions.append(dict(code=code, name=stem + suffix, level="township", parent_code=county_code))
                codes.append(code)
            townships[county_code] = codes
    return Province(regions, departments, townships, county_weights)


class PersonPool:
    """Natural persons who act as legal representatives; some represent several firms."""

    def __init__(self, rng: random.Random, size: int, counties: list[str]) -> None:
        surnames, weights = _surnames()
        given = list(faker_person.Provider.first_names)
        # Birthplaces must be divisions that existed when these people were born (python-stdnum's
        # table of historic divisions decides), e.g. not 临平区, created in 2021.
        counties = [c for c in counties if _known_birthplace(c)]
        self.people: list[Person] = []
        seen: set[str] = set()
        picks = rng.choices(surnames, weights=weights, k=size)
        birthdays = [f"{date(1955, 1, 1) + timedelta(days=d):%Y%m%d}" for d in range(365 * 48)]
        n_given, n_counties, n_days = len(given), len(counties), len(birthdays)
        rand = rng.random
        for i in range(size):
            name = picks[i] + given[int(rand() * n_given)]
            while True:
                stem = f"{counties[int(rand() * n_counties)]}{birthdays[int(rand() * n_days)]}{int(rand() * 1000):03d}"
                if stem not in seen:
                    seen.add(stem)
                    break
            self.people.append(Person(name, stem + ric.calc_check_digit(stem + "0")))


def enterprise_rows(
    province: Province, *, entities: int, seed: int
) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Yield (enterprise row, its licence rows) for each of `entities` firms, deterministically."""
    rng = random.Random(f"enterprises:{seed}")
    counties = [c for c, _ in province.county_weights]
    county_cum = _cumulative([w for _, w in province.county_weights])
    pool = PersonPool(rng, max(10, int(entities * 0.85)), counties)
    industries = [i for i in INDUSTRIES]
    industry_cum = _cumulative([i[2] for i in industries])
    brands = [p for p in faker_company.Provider.company_prefixes if len(p) == 2]
    brands += [a + b for a in "瑞恒鼎盛嘉华泰鑫宏兴丰康辰润锦达和众新远" for b in "源发达升通诚信隆昌祥安利邦创禾"]
    city_of = {county: name for code, name, cs in CITIES for county, _ in cs}
    depts = {(d["region_code"], d["kind"]): d["id"] for d in province.departments}
    matters_by_industry: dict[str, list[tuple[str, str, str, float, int | None]]] = {}
    for code, name, kind, probs, years in LICENSE_MATTERS:
        for ind, p in probs.items():
            matters_by_industry.setdefault(ind, []).append((code, name, kind, p, years))
    epoch = date(1995, 1, 1)
    span = (date(2026, 9, 30) - epoch).days
    license_id = 0
    for idx in range(1, entities + 1):
        county = counties[_pick(county_cum, rng.random())]
        ind_code, _ind_name, _w, words = industries[_pick(industry_cum, rng.random())]
        individual = ind_code in ("F52", "H62", "O80") and rng.random() < 0.45
        city = city_of[county][:-1]
        word = rng.choice(words)
        if individual:
            name = f"{city_of[county][:-1]}{rng.choice(brands)}{word}{rng.choice(('店', '经营部', '商行'))}"
        else:
            form = rng.choices(("有限公司", "股份有限公司", "有限责任公司"), weights=(85, 5, 10))[0]
            name = f"{city}{rng.choice(brands)}{word}{form}"
        person = pool.people[rng.randrange(len(pool.people))]
        registered = epoch + timedelta(days=int(span * (rng.random() ** 0.55)))
        roll = rng.random()
        status = "存续" if roll < 0.92 else "注销" if roll < 0.97 else "吊销"
        roll = rng.random()
        tier = "A" if roll < 0.25 else "B" if roll < 0.80 else "C" if roll < 0.95 else "D"
        ent = dict(
            id=idx,
            uscc=make_uscc(idx, county, individual=individual),
            name=name,
            legal_rep_name=person.name,
            legal_rep_id_number=person.id_number,
            region_code=county,
            township_code=rng.choice(province.townships_by_county[county]),
            industry_code=ind_code,
            registered_on=registered,
            status=status,
            risk_tier=tier,
        )
        licenses = []
        for code, mname, kind, p, years in matters_by_industry.get(ind_code, ()):
            if rng.random() < p:
                license_id += 1
                issued = registered + timedelta(days=rng.randrange(0, 400))
                while years and issued + timedelta(days=365 * years) < date(2025, 1, 1):
                    issued += timedelta(days=365 * years)  # renewed on expiry
                licenses.append(
                    dict(
                        id=license_id,
                        enterprise_id=idx,
                        matter_code=code,
                        matter_name=mname,
                        department_id=depts[(county, kind)],
                        issued_on=issued,
                        expires_on=issued + timedelta(days=365 * years) if years else None,
                    )
                )
        yield ent, licenses


def inspector_rows(province: Province, *, entities: int, seed: int) -> list[dict[str, Any]]:
    """Return inspectors: about one per 200 firms, at least 2 per county 市场监管 and 1 per other county department."""
    rng = random.Random(f"inspectors:{seed}")
    surnames, weights = _surnames()
    given = list(faker_person.Provider.first_names)
    total_weight = sum(w for _, w in province.county_weights)
    kind_share = {"SCJG": 0.4}
    other = (1 - 0.4) / (len(DEPARTMENT_KINDS) - 1)
    rows: list[dict[str, Any]] = []
    dept_by_key = {(d["region_code"], d["kind"]): d for d in province.departments}
    target = entities / 200
    for county, weight in province.county_weights:
        for kind, _pn, _suffix, specialties in DEPARTMENT_KINDS:
            share = target * weight / total_weight * kind_share.get(kind, other)
            count = max(2 if kind == "SCJG" else 1, round(share))
            dept = dept_by_key[(county, kind)]
            for seq in range(1, count + 1):
                name = rng.choices(surnames, weights=weights)[0] + rng.choice(given)
                rows.append(
                    dict(
                        id=len(rows) + 1,
                        badge_no=f"{county}{KIND_INDEX[kind] + 1:02d}{seq:04d}",
                        name=name,
                        department_id=dept["id"],
                        region_code=county,
                        residence_township_code=rng.choice(province.townships_by_county[county]),
                        # Most serve in a township station (市场监管所 and the like), the rest in the county office.
                        office_township_code=rng.choice(province.townships_by_county[county])
                        if seq > 1 and rng.random() < 0.8
                        else None,
                        # Two or three of the department's fields: the draw assigns an item that requires a
                        # specialty only to inspectors who hold it (docs/draw-algorithm.md §10.4).
                        specialties=",".join(
                            sorted(rng.sample(specialties, k=min(len(specialties), rng.randint(2, 3))))
                        ),
                        active=rng.random() > 0.03,
                        user_id=None,
                    )
                )
    return rows


def _known_birthplace(county: str) -> bool:
    stem = f"{county}19800101001"
    try:
        return bool(ric.is_valid(stem + ric.calc_check_digit(stem + "0")))
    except KeyError:  # python-stdnum lacks county data for some codes
        return False


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return [x / total for x in out]


def _pick(cumulative: list[float], r: float) -> int:
    lo, hi = 0, len(cumulative) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cumulative[mid] < r:
            lo = mid + 1
        else:
            hi = mid
    return lo
