"""Each role's main journey in headless Chromium against a real gunicorn, asserting what the user sees:
Chinese only, the outcome of each step, and pages that fit a 390 px phone and a one-row menu at 1280 px."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import Session, col, select

from supervise import clock
from supervise.models import Enterprise, Inspector, User
from tests.conftest import PASSWORD, run_jobs
from tests.drawkit import add_firms, ceremony, make_task

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if not CHROMIUM and os.environ.get("CI"):
    raise RuntimeError("CI needs Debian's chromium for the browser journeys: scripts/bootstrap installs it")
pytestmark = pytest.mark.skipif(not CHROMIUM, reason="Debian's chromium is not installed (scripts/bootstrap does it)")

# Words of an English error or status a user should never be shown.
ENGLISH = re.compile(
    r"\b(error|errors|invalid|must|should|cannot|forbidden|not found|permission|required|queued|started|finished"
    r"|failed|internal|unauthorized|denied|traceback)\b",
    re.I,
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def world(app: Any, province: Any, engine: Any) -> dict[str, Any]:
    """The demo province with one joint task drawn for December (the inspectors' assignments)."""
    add_firms(engine, 30)
    make_task(engine, "T1", window=("2026-07-01", "2026-12-31"))
    ceremony(engine, "T1")
    with Session(engine) as session:
        firm = session.exec(
            select(Enterprise).where(Enterprise.region_code == "330102").order_by(col(Enterprise.id))
        ).first()
        assert firm is not None
        return {"uscc": firm.uscc}


def chinese_only(page: Any) -> str:
    """The page's visible text, after checking it carries no English error or status."""
    text = page.inner_text("body")
    found = ENGLISH.search(text)
    assert not found, f"English on {page.url}: …{text[max(0, found.start() - 60) : found.end() + 60]}…"
    return str(text)


def signed_in(browser: Any, base: str, username: str, *, width: int = 1280, height: int = 900) -> Any:
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "/login" not in page.url, chinese_only(page)
    return page


def test_inspector_records_and_a_teammate_confirms(browser: Any, served: str, world: Any, engine: Any) -> None:
    page = signed_in(browser, served, "inspector")
    page.goto(f"{served}/inspections/my?when=all")  # the task window may have closed on the day CI runs
    card = page.locator("section.card", has=page.locator("a", has_text="录入检查记录")).first
    firm = card.locator("h2 a").inner_text()
    card.locator("a", has_text="录入检查记录").click()
    page.wait_for_load_state()
    form = page.locator("form.record")
    form.locator("select[name=category]").select_option("发现问题已责令改正")
    assert form.locator("input[name=inspected_on]").input_value() == clock.today().isoformat()
    form.locator("textarea[name=findings]").fill("进货查验记录不全，已当场责令改正。")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    text = chinese_only(page)
    assert "检查结果已录入" in text and "等待检查组其他成员确认" in text and firm in text
    visit = page.url
    team = re.search(r"检查组：(.+?)\n", text)
    assert team is not None
    with Session(engine) as session:
        me = session.exec(
            select(Inspector.badge_no)
            .join(User, col(User.id) == col(Inspector.user_id))
            .where(User.username == "inspector")
        ).one()
        badges = re.findall(r"（(\w+)）", team.group(1))
        mate_badge = next(b for b in badges if b != me)
        mate = session.exec(
            select(User.username)
            .join(Inspector, col(Inspector.user_id) == col(User.id))
            .where(Inspector.badge_no == mate_badge)
        ).one()
    other = signed_in(browser, served, mate)
    other.goto(visit)
    other.locator("button", has_text="确认").click()
    other.wait_for_load_state()
    assert "已确认检查结果" in chinese_only(other)


def test_credit_officers_propose_notify_and_decide_under_four_eyes(browser: Any, served: str, world: Any) -> None:
    page = signed_in(browser, served, "credit")
    page.goto(f"{served}/credit/entries")
    page.fill("input[name=uscc]", world["uscc"])
    page.select_option("select[name=list_type]", "ABNORMAL")
    page.select_option("select[name=ground]", "UNREACHABLE")
    page.fill("input[name=reason]", "通过登记的住所无法联系")
    page.fill("input[name=legal_basis]", "《企业经营异常名录管理暂行办法》第四条第（四）项")
    page.select_option("select[name=department_code]", "330102-SCJG")
    page.fill("input[name=public_summary]", "通过登记的住所无法联系")
    page.click("text=拟列入 >> xpath=ancestor::section//button[@type='submit']")
    page.wait_for_load_state()
    assert "已拟列入" in chinese_only(page)
    row = page.locator("tr", has_text=world["uscc"])
    served_on = row.locator("input[name=served_on]")  # the 告知书's serving day, today unless it was earlier
    assert served_on.input_value() == clock.today().isoformat() == served_on.get_attribute("max")
    row.locator("button", has_text="送达告知书").click()
    page.wait_for_load_state()
    row = page.locator("tr", has_text=world["uscc"])
    row.locator("input[name=note]").fill("企业称已搬迁至新址")
    row.locator("button", has_text="登记陈述申辩").click()
    page.wait_for_load_state()
    row = page.locator("tr", has_text=world["uscc"])
    assert "须由另一名信用管理人员决定" in row.inner_text() and row.locator("button", has_text="决定列入").count() == 0
    second = signed_in(browser, served, "credit2")
    second.goto(f"{served}/credit/entries")
    row = second.locator("tr", has_text=world["uscc"])
    row.locator("input[name=decision_number]").fill("杭上市监信〔2026〕8号")
    row.locator("button", has_text="决定列入").click()
    second.wait_for_load_state()
    assert "已决定列入：名单条目" in chinese_only(second) and "现为“已列入”" in chinese_only(second)
    assert "已列入" in second.locator("tr", has_text=world["uscc"]).inner_text()


def test_licensing_window_checks_and_reports_the_outcome(browser: Any, served: str, world: Any) -> None:
    page = signed_in(browser, served, "licensing")
    page.goto(f"{served}/credit/check")
    page.fill("input[name=uscc]", world["uscc"])
    page.select_option("select[name=matter]", "SCJG-SPJY")
    page.click("form >> text=核查")
    page.wait_for_load_state()
    text = chinese_only(page)
    assert "核查编号" in text and "报告办理结果" in text
    page.check("#outcome input[name=granted][value='1']")  # nothing is preselected: the officer states it
    page.click("#outcome button[type=submit]")
    page.wait_for_load_state()
    assert "已报告办理结果" in chinese_only(page)


def test_supervisor_builds_a_schedule_and_downloads_a_report(browser: Any, served: str, world: Any, app: Any) -> None:
    page = signed_in(browser, served, "supervisor")
    page.goto(f"{served}/schedules")
    page.select_option("select[name=region]", "330102")  # chosen by name: 上城区, 2026年第三季度
    page.select_option("select[name=period]", "2026Q3")
    page.click("text=生成/重新生成排期")
    page.wait_for_load_state()
    assert "排期任务已提交" in chinese_only(page)
    run_jobs(app)
    page.goto(f"{served}/schedules")
    built = page.locator("tbody tr", has_text="上城区").inner_text()
    assert "2026年第三季度" in built and "330102" not in built and "supervisor" not in built  # names, not codes
    page.goto(f"{served}/schedules/330102/2026Q3")
    chinese_only(page)
    page.goto(f"{served}/reports?region=330100&period=2026Q3")
    page.click("text=通报 >> xpath=ancestor::form//button")
    page.wait_for_load_state()
    chinese_only(page)
    run_jobs(app)
    page.goto(f"{served}/reports?region=330100&period=2026Q3")
    with page.expect_download() as info:
        page.locator("table a", has_text="下载").first.click()
    download = info.value
    assert download.suggested_filename.startswith("督查报告-330100-2026Q3") and download.suggested_filename.endswith(
        ".pdf"
    )
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_administrator_creates_an_account(browser: Any, served: str, world: Any) -> None:
    page = signed_in(browser, served, "admin")
    page.goto(f"{served}/admin/users")
    page.fill("section.card input[name=username]", "window3")
    page.fill("section.card input[name=display_name]", "三号窗口")
    page.select_option("section.card select[name=role]", "licensing_officer")
    page.fill("section.card input[name=password]", "123456789012")
    page.click("text=创建账户")
    page.wait_for_load_state()
    text = chinese_only(page)
    assert "太常见" in text and page.locator("section.card input[name=username]").input_value() == "window3"
    page.fill("section.card input[name=password]", "Qiantang-river-tide-2026")
    page.click("text=创建账户")
    page.wait_for_load_state()
    assert "已创建账户 window3" in chinese_only(page)


def test_the_public_searches_and_downloads_a_draw_bundle(browser: Any, served: str, world: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{served}/enterprises")
    page.fill("input[name=q]", world["uscc"][:10])
    page.click("form.search button")
    page.wait_for_load_state()
    assert world["uscc"] in chinese_only(page)
    page.goto(f"{served}/public/draws/D-T1")
    chinese_only(page)
    with page.expect_download() as info:
        page.click("a:text-is('record.json')")
    assert info.value.suggested_filename == "D-T1-record.json"


def widest(page: Any) -> list[str]:
    """The elements that reach past the right edge of the screen (to say what to fix)."""
    return list(
        page.evaluate("""[...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
        .slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').slice(0, 40))""")
    )


PUBLIC_PAGES = (
    "/",
    "/enterprises",
    "/public/plans",
    "/public/draws",
    "/public/draws/D-T1",
    "/public/results",
    "/credit",
    "/login",
    "/no-such-page",
)


def test_pages_fit_a_390_pixel_phone(browser: Any, served: str, world: Any) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    for path in PUBLIC_PAGES:
        page.goto(f"{served}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide on a 390 px phone: {widest(page)}"
    inspector = signed_in(browser, served, "inspector", width=390, height=844)
    for path in ("/inspections/my", "/inspections/my/schedule", "/me/inspector", "/account"):
        inspector.goto(f"{served}{path}")
        width = inspector.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide on a 390 px phone: {widest(inspector)}"


def test_a_unit_writes_its_rectification_report_on_a_phone(browser: Any, served: str, world: Any, app: Any) -> None:
    from tests.test_oversight import _notice, _propose_and_confirm

    _propose_and_confirm(app, app.test_client(), "/api/oversight/notices", _notice("330102-WSJK"))
    unit = signed_in(browser, served, "unit_wsjk", width=390, height=844)
    unit.goto(f"{served}/oversight/mine")
    assert unit.evaluate("document.documentElement.scrollWidth") <= 390, widest(unit)
    box = unit.locator("textarea[name=report_text]").bounding_box()
    assert box is not None and box["width"] >= 300, f"the report box is {box} on a 390 px phone"
    upload = unit.locator("input[name=files]").bounding_box()
    assert upload is not None and upload["x"] + upload["width"] <= 390
    # A wrong attachment refuses the report but keeps every word typed; the page asks for the file again.
    report = "已补抽三户并于本月公示抽查结果，公示截图见附件。"
    unit.fill("textarea[name=report_text]", report)
    unit.set_input_files("input[name=files]", files=[{"name": "notes.txt", "mimeType": "text/plain",
                                                      "buffer": "不是图片".encode()}])  # fmt: skip
    unit.click("button:has-text('提交整改报告')")
    unit.wait_for_load_state()
    text = chinese_only(unit)
    assert "未保存" in text and "附件须重新选择" in text
    assert unit.locator("textarea[name=report_text]").input_value() == report


@pytest.mark.parametrize("username", ["admin", "supervisor", "credit", "licensing", "inspector"])
def test_the_menu_is_one_row_at_1280_pixels(browser: Any, served: str, world: Any, username: str) -> None:
    page = signed_in(browser, served, username)
    tops = page.evaluate("[...document.querySelectorAll('nav.main a')].map(a => a.getBoundingClientRect().top)")
    assert len(set(tops)) == 1, f"the menu of {username} wraps: {tops}"
    overflow = page.evaluate(
        "(() => { const n = document.querySelector('nav.main'); return n.scrollWidth - n.clientWidth; })()"
    )
    assert overflow <= 0, f"the menu of {username} is cut off by {overflow} px"


def test_a_dismissed_confirmation_sends_nothing(browser: Any, served: str, world: Any) -> None:
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(f"{served}/public/plans")
    # A form as the irreversible steps carry it: data-confirm, posting to a page that would answer 405.
    page.evaluate(
        """() => { const f = document.createElement('form'); f.method = 'post'; f.action = '/public/plans';
        f.dataset.confirm = '确认？'; f.innerHTML = '<button id="go" type="submit">提交</button>';
        document.body.append(f); }"""
    )
    asked: list[str] = []

    def dismiss(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.click("#go")
    page.wait_for_timeout(300)
    assert asked == ["确认？"] and page.url.endswith("/public/plans") and page.locator("#go").count() == 1


def test_a_working_day_starts_from_the_to_do_list_and_its_reminder_on_a_phone(
    browser: Any, served: str, world: Any, app: Any
) -> None:
    from supervise.jobs import send_reminders
    from tests.test_oversight import _notice, _propose_and_confirm

    _propose_and_confirm(app, app.test_client(), "/api/oversight/notices", _notice("330102-WSJK"))
    with app.app_context():
        send_reminders("system:cron")
        send_reminders("system:cron")  # the morning job ran twice: still one reminder
    unit = signed_in(browser, served, "unit_wsjk", width=390, height=844)
    home = chinese_only(unit)
    assert "待办事项" in home and "本单位未完成的整改事项" in home and "未读提醒" in home
    unit.click("a:has-text('本单位未完成的整改事项')")
    unit.wait_for_load_state()
    assert unit.url.endswith("/oversight/mine")
    with unit.expect_download() as got:
        unit.click("a:has-text('整改通知（PDF）')")
    assert got.value.suggested_filename.startswith("整改通知-")
    unit.goto(f"{served}/inbox")
    assert chinese_only(unit).count("待办提醒：本单位未完成的整改事项") == 1
    desk = signed_in(browser, served, "supervisor", width=390, height=844)
    desk.goto(f"{served}/oversight")  # a work list as cards on a phone, each cell labelled with its column
    cell = "document.querySelector('table.cards tbody td[data-label]')"
    assert desk.evaluate(f"getComputedStyle({cell}.parentElement).display") == "block"
    assert desk.evaluate(f"{cell}.dataset.label") == "整改通知"
    assert desk.evaluate("document.documentElement.scrollWidth") <= 390, widest(desk)


def test_a_deferred_visit_shows_its_whole_reason_under_its_status_on_the_schedule(
    browser: Any, served: str, world: Any, app: Any, engine: Any
) -> None:
    from scheduling.models import ScheduledVisit

    page = signed_in(browser, served, "supervisor", width=1366)
    page.goto(f"{served}/schedules")
    page.select_option("select[name=region]", "330102")  # chosen by name: 上城区, 2026年第三季度
    page.select_option("select[name=period]", "2026Q3")
    page.click("text=生成/重新生成排期")
    page.wait_for_load_state()
    run_jobs(app)
    reason = "该主体在滚动期内已有2次随机检查（每季度上限1次、每年上限2次，已用2次），推迟至下一周期"
    with Session(engine) as session:  # the frequency cap's deferral, as the scheduler words it
        visit = session.exec(select(ScheduledVisit).order_by(col(ScheduledVisit.id))).first()
        assert visit is not None
        visit.status, visit.reason, visit.day = "deferred", reason, None
        session.add(visit)
        session.commit()
    page.goto(f"{served}/schedules/330102/2026Q3")
    text = chinese_only(page)
    assert "上城区 2026年第三季度 联合检查排期" in text and "生成于" in text and "seed" not in text
    note = page.locator(".cell-note", has_text="推迟至下一周期")
    assert note.inner_text() == reason
    # The reason is a block below the status: its box starts under the status line and shows its whole text
    geometry = note.evaluate(
        """n => { const cell = n.closest('td'), r = document.createRange();
                  r.selectNodeContents(cell.firstChild);
                  const s = r.getBoundingClientRect(), b = n.getBoundingClientRect();
                  return {statusBottom: s.bottom, noteTop: b.top, noteBottom: b.bottom,
                          cellBottom: cell.getBoundingClientRect().bottom,
                          clipped: n.scrollWidth > n.clientWidth || n.scrollHeight > n.clientHeight}; }"""
    )
    assert geometry["noteTop"] >= geometry["statusBottom"] and geometry["noteBottom"] <= geometry["cellBottom"]
    assert not geometry["clipped"], geometry
