from datetime import date

from supervise.workdays import STATUTORY_WEEK, WorkCalendar, library_covers


def test_twenty_working_days_across_national_day_2025() -> None:
    # Recorded Fri 26 Sep 2025. 国庆中秋 1-8 Oct off; Sun 28 Sep and Sat 11 Oct are make-up working days.
    # Counting: 28, 29, 30 Sep (3); 9, 10, 11 Oct (6); 13-17 (11); 20-24 (16); 27, 28, 29, 30 Oct (20).
    assert STATUTORY_WEEK.add_working_days(date(2025, 9, 26), 20) == date(2025, 10, 30)


def test_make_up_weekend_days_are_working_days() -> None:
    cal = STATUTORY_WEEK
    assert cal.is_working_day(date(2025, 9, 28)) and cal.is_working_day(date(2025, 10, 11))
    assert not cal.is_working_day(date(2025, 10, 8))


def test_a_deadline_in_a_year_the_library_lacks_is_counted_monday_to_friday_less_the_fixed_holidays() -> None:
    assert not library_covers(2099)
    # Wed 30 Sep 2099 + 3 working days: 国庆 1-3 October is fixed by 《全国年节及纪念日放假办法》 whatever the
    # year's notice says, so Mon 5, Tue 6, Wed 7 October.
    due = STATUTORY_WEEK.add_working_days(date(2099, 9, 30), 3)
    assert due == date(2099, 10, 7)
    assert not STATUTORY_WEEK.is_working_day(date(2099, 5, 1)) and not STATUTORY_WEEK.is_working_day(date(2100, 1, 1))
    assert STATUTORY_WEEK.is_provisional(date(2099, 9, 30), due)
    assert not STATUTORY_WEEK.is_provisional(date(2025, 9, 26), date(2025, 10, 30))


def test_a_deadline_reaching_into_next_year_is_provisional_even_when_it_starts_in_a_known_year() -> None:
    start = date(2026, 12, 4)  # a Friday; 20 working days end in January of a year not yet announced
    due = STATUTORY_WEEK.add_working_days(start, 20)
    assert due.year == 2027 or library_covers(2027)
    assert STATUTORY_WEEK.is_provisional(start, due) == (not library_covers(2027))


def test_entered_days_apply_but_only_a_complete_year_is_official() -> None:
    holidays = {date(2099, 10, d): False for d in range(1, 8)} | {date(2099, 10, 10): True}  # Sat make-up day
    partial = WorkCalendar(overrides=holidays)
    assert not partial.is_working_day(date(2099, 10, 1))
    assert partial.is_working_day(date(2099, 10, 10))  # a Saturday, made a working day
    assert partial.is_working_day(date(2099, 10, 8)) and not partial.is_working_day(date(2099, 10, 11))
    # Wed 30 Sep 2099 + 3 working days: 1-7 Oct off, Thu 8, Fri 9, Sat 10 (make-up)
    assert partial.add_working_days(date(2099, 9, 30), 3) == date(2099, 10, 10)
    assert partial.is_provisional(date(2099, 9, 30), date(2099, 10, 10))
    complete = WorkCalendar(overrides=holidays, complete_years=frozenset({2099}))
    assert not complete.is_provisional(date(2099, 9, 30), date(2099, 10, 10))


def test_working_days_between_counts_the_end_day() -> None:
    assert STATUTORY_WEEK.working_days_between(date(2025, 9, 26), date(2025, 10, 30)) == 20
    assert STATUTORY_WEEK.working_days_between(date(2025, 10, 30), date(2025, 10, 1)) == 0
