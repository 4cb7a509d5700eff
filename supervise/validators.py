"""Pure validators for official identifiers; messages name the offending value."""

from __future__ import annotations

import re

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
        reason = "长度应为 18 位 (must be 18 characters)"
    except InvalidFormat:
        reason = "格式错误 (invalid characters)"
    except InvalidChecksum:
        expected = uscc.calc_check_digit(uscc.compact(raw)[:17])
        reason = f"校验位错误 (check digit should be {expected})"
    except ValidationError:
        reason = "无效 (invalid)"
    raise ValueError(f"统一社会信用代码 {raw!r} 无效：{reason}")


def validate_id_number(value: str) -> str:
    """Return a valid 居民身份证号码 or raise ValueError (the number itself is not echoed)."""
    try:
        return str(ric.validate(value))
    except (InvalidLength, InvalidFormat, InvalidChecksum, InvalidComponent, ValidationError, KeyError):
        # KeyError: python-stdnum's birthplace table has gaps; treat as unverifiable, not a crash.
        raise ValueError("居民身份证号码无效 (invalid resident ID number)") from None


def validate_industry_code(value: str) -> str:
    """Accept a GB/T 4754 门类 letter with an optional two-digit 大类, e.g. 'C' or 'C14'."""
    if not _INDUSTRY.match(value):
        raise ValueError(f"行业代码 {value!r} 无效：应为门类字母加两位大类代码，如 C14")
    return value


def validate_region_code(value: str) -> str:
    """Accept a 6-digit county-level or 9-digit township-level 行政区划代码."""
    if not _REGION.match(value):
        raise ValueError(f"行政区划代码 {value!r} 无效：应为 6 位或 9 位数字")
    return value
