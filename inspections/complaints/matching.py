"""Find the firm a 工单 names (pure): names are compared on their core, without the place in front, the legal
form at the end (有限公司 / 有限责任公司 / 股份有限公司) or a bracketed place, so short names and the two legal-form
spellings meet; rapidfuzz scores what remains."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rapidfuzz import fuzz, process

LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "股份公司", "公司")
CITIES = ("杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水")
PLACES = ("浙江省", "浙江", *(p for city in CITIES for p in (city + "市", city)))  # 杭州市 before 杭州
BRACKETS = re.compile(r"[（(][^）)]*[）)]")
MIN_SCORE = 60.0


def core(name: str) -> str:
    """The distinctive part of a firm name: 浙江杭州鼎禾养殖有限责任公司 -> 鼎禾养殖."""
    text = BRACKETS.sub("", name.strip())
    for place in PLACES:
        if text.startswith(place):
            text = text[len(place) :]
    for form in LEGAL_FORMS:
        if text.endswith(form):
            text = text[: -len(form)]
            break
    return text or name.strip()


def probes(name: str) -> list[str]:
    """Two-character pieces of the core name, to narrow a 名录库 of millions before scoring."""
    c = core(name)
    return [c[i : i + 2] for i in range(max(len(c) - 1, 1))][:4]


def rank(name: str, firms: Sequence[tuple[int, str]], *, limit: int = 5) -> list[tuple[int, str, float]]:
    """The best-matching firms (id, name, score 0-100) for a 工单's firm name, best first, above MIN_SCORE."""
    if not name.strip() or not firms:
        return []
    choices = {fid: core(fname) for fid, fname in firms}
    names = dict(firms)
    found = process.extract(core(name), choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=MIN_SCORE)
    return [(fid, names[fid], round(score, 1)) for _core, score, fid in found]
