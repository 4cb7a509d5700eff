"""One clock: forms, services and tests agree on Beijing's date whatever the machine's zone or hour."""

import re
from datetime import UTC, datetime
from typing import Any

import pytest

from supervise import clock
from tests.conftest import csrf_token, login
from tests.drawkit import add_firms, ceremony, make_task


def test_beijing_date_is_a_day_ahead_of_utc_late_in_the_utc_evening() -> None:
    with clock.using(clock.FixedClock(datetime(2026, 11, 30, 23, 30, tzinfo=UTC))):
        assert clock.today().isoformat() == "2026-12-01"
        assert clock.now().isoformat() == "2026-11-30T23:30:00+00:00"


@pytest.fixture
def drawn(province: Any, engine: Any) -> Any:
    add_firms(engine, 30)
    make_task(engine, "T1", window=("2026-07-01", "2026-12-31"))
    return ceremony(engine, "T1")


def test_the_prefilled_inspection_date_is_beijing_today_and_is_accepted(
    client: Any, drawn: Any, frozen_clock: Any
) -> None:
    frozen_clock.set(datetime(2026, 11, 30, 23, 30, tzinfo=UTC))  # 07:30 on 1 December in Beijing
    login(client, "inspector")
    listing = client.get("/inspections/my?when=all").get_data(as_text=True)
    target = re.findall(r'href="/inspections/my/(\d+)"', listing)[0]
    page = client.get(f"/inspections/my/{target}").get_data(as_text=True)
    assert 'name="inspected_on" type="date" value="2026-12-01"' in page
    resp = client.post(
        f"/inspections/my/{target}/result",
        data={
            "csrf_token": csrf_token(client, f"/inspections/my/{target}"),
            "category": "未发现问题",
            "findings": "",
            "inspected_on": "2026-12-01",
        },
    )
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
