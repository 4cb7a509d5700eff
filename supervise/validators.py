"""Pure validators for official identifiers; messages name the offending value."""

from __future__ import annotations

import re
import unicodedata

from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength, ValidationError

_INDUSTRY = re.compile(r"^[A-T](\d{2})?$")
_REGION = re.compile(r"^\d{6}(\d{3})?$")


def validate_uscc(value: str) -> str:
    """Return the compact 统一社会信用代码 or raise ValueError naming it and the reason."""
    raw = value if isinstance(value, str) else str(value)
    try:
        return str(uscc.validate(raw))
    except InvalidLength:
        reason = "长度应为 18 位"
    except InvalidFormat:
        reason = "格式错误（含有不允许的字符）"
    except InvalidChecksum:
        reason = "校验位不符，请逐位核对后重新填写"  # never the right digit: that would make up a valid code
    except ValidationError:
        reason = "无效"
    raise ValueError(f"统一社会信用代码 {raw} 无效：{reason}")


def validate_id_number(value: str) -> str:
    """Return a valid 居民身份证号码 or raise ValueError (the number itself is not echoed)."""
    try:
        return str(ric.validate(value))
    except (InvalidLength, InvalidFormat, InvalidChecksum, InvalidComponent, ValidationError, KeyError):
        # KeyError: python-stdnum's birthplace table has gaps; treat as unverifiable, not a crash.
        raise ValueError("居民身份证号码无效") from None


# GB/T 4754-2017《国民经济行业分类》: the 大类 (two-digit division) ranges of each 门类 (section) A-T.
INDUSTRY_DIVISIONS = {
    "A": (1, 5), "B": (6, 12), "C": (13, 43), "D": (44, 46), "E": (47, 50), "F": (51, 52), "G": (53, 60),
    "H": (61, 62), "I": (63, 65), "J": (66, 69), "K": (70, 70), "L": (71, 72), "M": (73, 75), "N": (76, 79),
    "O": (80, 82), "P": (83, 83), "Q": (84, 85), "R": (86, 90), "S": (91, 96), "T": (97, 97),
}  # fmt: skip


def validate_industry_code(value: str) -> str:
    """Accept a GB/T 4754-2017 门类 letter with an optional two-digit 大类 of that 门类, e.g. 'C' or 'C14'."""
    if not _INDUSTRY.match(value):
        raise ValueError(f"行业代码 {value} 无效：应为门类字母加两位大类代码，如 C14")
    if len(value) == 3:
        lo, hi = INDUSTRY_DIVISIONS[value[0]]
        if not lo <= int(value[1:]) <= hi:
            raise ValueError(f"行业代码 {value} 不存在：门类 {value[0]} 的大类为 {lo:02d}–{hi:02d}（GB/T 4754-2017）")
    return value


def validate_region_code(value: str) -> str:
    """Accept a 6-digit county-level or 9-digit township-level 行政区划代码."""
    if not _REGION.match(value):
        raise ValueError(f"行政区划代码 {value} 无效：应为 6 位或 9 位数字")
    return value


# Unicode categories no name may contain: controls, format characters (right-to-left overrides, zero-width
# joiners that make two names look alike), private use, surrogates and line/paragraph separators.
_NAME_BANNED = frozenset({"Cc", "Cf", "Co", "Cs", "Zl", "Zp"})


def validate_name(value: str) -> str:
    """Refuse control and format characters (such as U+202E RIGHT-TO-LEFT OVERRIDE) in a name."""
    for ch in value:
        if unicodedata.category(ch) in _NAME_BANNED:
            raise ValueError(f"不能包含控制字符或格式字符（U+{ord(ch):04X}）")
    return value


def validate_text(value: str) -> str:
    """Refuse control and format characters in free text, except tab and line breaks."""
    for ch in value:
        if ch not in "\t\n\r" and unicodedata.category(ch) in _NAME_BANNED:
            raise ValueError(f"不能包含控制字符或格式字符（U+{ord(ch):04X}）")
    return value
