from datetime import date

import pytest

from inspections.workdays import CalendarGap, add_working_days, is_working_day, working_days_between


def test_twenty_working_days_across_national_day_2025() -> None:
    # Recorded Fri 26 Sep 2025. 国庆中秋 1-8 Oct off; Sun 28 Sep and Sat 11 Oct are make-up working days.
    # Counting: 28, 29, 30 Sep (3); 9, 10, 11 Oct (6); 13-17 (11); 20-24 (16); 27, 28, 29, 30 Oct (20).
    assert add_working_days(date(2025, 9, 26), 20) == date(2025, 10, 30)


def test_make_up_weekend_days_are_working_days() -> None:
    assert is_working_day(date(2025, 9, 28)) and is_working_day(date(2025, 10, 11))
    assert not is_working_day(date(2025, 10, 8))


def test_overrides_cover_years_the_library_lacks() -> None:
    with pytest.raises(CalendarGap, match="override"):
        is_working_day(date(2099, 10, 1))
    holidays = {date(2099, 10, d): False for d in range(1, 8)} | {date(2099, 10, 10): True}  # Sat make-up day
    assert not is_working_day(date(2099, 10, 1), holidays)
    assert is_working_day(date(2099, 10, 10), holidays)  # a Saturday, made a working day
    assert is_working_day(date(2099, 10, 8), holidays) and not is_working_day(date(2099, 10, 11), holidays)
    # Wed 30 Sep 2099 + 3 working days: 1-7 Oct off, Thu 8, Fri 9, Sat 10 (make-up)
    assert add_working_days(date(2099, 9, 30), 3, holidays) == date(2099, 10, 10)


def test_working_days_between_counts_the_end_day() -> None:
    assert working_days_between(date(2025, 9, 26), date(2025, 10, 30)) == 20
    assert working_days_between(date(2025, 10, 30), date(2025, 10, 1)) == 0
