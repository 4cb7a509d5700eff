"""Supervision periods and validation messages as users write and read them."""

from __future__ import annotations


def test_a_period_reads_as_people_write_it() -> None:
    from supervise.periods import period_label

    assert period_label("2026Q4") == "2026年第四季度" and period_label("2026Q1") == "2026年第一季度"
    assert period_label("2026") == "2026年" and period_label("其他") == "其他"


def test_an_empty_required_text_is_asked_for_not_counted() -> None:
    from supervise.messages import pydantic_message

    assert pydantic_message({"type": "string_too_short", "ctx": {"min_length": 1}}) == "不能为空，请填写"
    assert pydantic_message({"type": "string_too_short", "ctx": {"min_length": 2}}) == "至少 2 个字符"
