import hashlib
import json
from typing import Any

from tests.drawkit import add_firms


def test_the_whole_ceremony_runs_from_the_command_line(runner: Any, province: Any, engine: Any, tmp_path: Any) -> None:
    add_firms(engine, 20)
    item = tmp_path / "item.json"
    item.write_text(
        json.dumps(
            {
                "code": "SCJG-GS",
                "department_kind": "SCJG",
                "name": "企业公示信息检查",
                "legal_basis": "《企业信息公示暂行条例》第十四条",
                "scope_industries": ["H62"],
            }
        )
    )
    assert runner.invoke(args=["item", "add", str(item)]).exit_code == 0
    assert (
        runner.invoke(
            args=[
                "plan",
                "create",
                "--code",
                "P1",
                "--department",
                "330102-SCJG",
                "--title",
                "2026年第三季度抽查计划",
                "--year",
                "2026",
                "--quarter",
                "3",
            ]
        ).exit_code
        == 0
    )
    task = tmp_path / "task.json"
    task.write_text(
        json.dumps(
            {
                "code": "T1",
                "plan_code": "P1",
                "title": "公示信息抽查",
                "region_code": "330102",
                "department_codes": ["330102-SCJG", "330102-WSJK"],
                "item_codes": ["SCJG-GS"],
                "window_start": "2026-07-01",
                "window_end": "2026-09-30",
                "ratios": {"B": "0.3"},
            }
        )
    )
    assert runner.invoke(args=["task", "create", str(task)]).exit_code == 0
    secrets = {"330102-SCJG": "first-secret-value", "330102-WSJK": "other-secret-value", "督查室": "third-secret"}
    stranger = runner.invoke(args=["task", "commit", "T1", "--participant", "330102-extra", "--commitment", "0" * 64])
    assert stranger.exit_code == 1 and "参与方应为本任务的参与部门" in stranger.output
    lone = runner.invoke(args=["task", "freeze", "T1"])  # the service, not only the HTTP handler, needs two
    assert lone.exit_code == 1 and "冻结前至少须有两个参与方提交承诺" in lone.output
    for who, secret in secrets.items():
        if who == "督查室":  # two departments without the 督查 observer may not freeze either
            blind = runner.invoke(args=["task", "freeze", "T1"])
            assert blind.exit_code == 1 and "督查观察员" in blind.output
        r = runner.invoke(
            args=[
                "task",
                "commit",
                "T1",
                "--participant",
                who,
                "--commitment",
                hashlib.sha256(secret.encode()).hexdigest(),
            ]
        )
        assert r.exit_code == 0, r.output
    frozen = runner.invoke(args=["task", "freeze", "T1"])
    assert frozen.exit_code == 0 and json.loads(frozen.output)["population"] == 20
    bad = runner.invoke(args=["task", "reveal", "T1", "--participant", "督查室", "--secret", "not-it"])
    assert bad.exit_code == 1 and "揭示的随机数与其承诺值不符" in bad.output
    for who, secret in secrets.items():
        assert runner.invoke(args=["task", "reveal", "T1", "--participant", who, "--secret", secret]).exit_code == 0
    unplanned = runner.invoke(args=["task", "draw", "T1", "--beacon-value", "1 2 3"])
    assert unplanned.exit_code == 1 and "冻结时未确定公开信标" in unplanned.output
    drawn = runner.invoke(args=["task", "draw", "T1"])
    assert drawn.exit_code == 0 and drawn.output.startswith("drew D-T1")


def test_bad_task_file_names_the_field(runner: Any, province: Any, tmp_path: Any) -> None:
    task = tmp_path / "task.json"
    task.write_text(
        json.dumps(
            {
                "code": "T1",
                "plan_code": "P-none",
                "title": "x任务",
                "region_code": "330102",
                "department_codes": ["330102-SCJG"],
                "item_codes": ["X"],
                "window_start": "2026-07-01",
                "window_end": "2026-09-30",
                "ratios": {"B": "0.3"},
            }
        )
    )
    result = runner.invoke(args=["task", "create", str(task)])
    assert result.exit_code == 1 and "计划编号" in result.output


def test_calendar_override_from_the_command_line(runner: Any, province: Any) -> None:
    result = runner.invoke(args=["calendar", "set", "2099-10-01", "--holiday", "--note", "国庆节"])
    assert result.exit_code == 0 and "2099-10-01 设为休息日" in result.output
