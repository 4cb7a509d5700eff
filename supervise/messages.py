"""The Chinese words users see for things the code names in English: fields, HTTP statuses, validation
errors, audit actions, job states and the draw algorithm's fixed reasons. Pure data and functions."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

# The roles as users read them (supervise.models.ROLES).
ROLE_LABELS = {
    "inspector": "执法检查人员",
    "reviewer": "结果审核人员",
    "credit_officer": "信用管理人员",
    "licensing_officer": "许可窗口人员",
    "supervisor": "督查室",
    "auditor": "审计人员（只读）",
    "hotline": "12345平台（系统对接）",
    "unit": "整改责任单位",
    "admin": "系统管理员",
}

FIELD_LABELS = {
    "history": "历史数据",
    "risk_model": "风险模型",
    "approval_ref": "批准文件文号或签批单编号",
    "received_on": "收到督查结论日期",
    "lenient_item": "不予处罚清单事项",
    "notice_number": "文号",
    "testing_days": "检测等所需工作日",
    "inform_number": "告知书文号",
    "informed_on": "告知书送达日期",
    "measures": "拟作出的处罚种类",
    "proposed_amount": "拟罚没金额",
    "facts": "违法事实",
    "reasons": "处罚理由",
    "basis": "处罚依据",
    "listing": "一并告知拟列入严重违法失信名单",
    "complex_case": "案情疑难复杂",
    "stated_on": "陈述申辩日期",
    "statement": "陈述、申辩内容",
    "reviewed_on": "审核日期",
    "opinion": "意见",
    "adopted": "是否采纳",
    "requested_on": "申请听证日期",
    "noticed_on": "通知日期",
    "hearing_on": "听证日期",
    "place": "听证地点",
    "host_badge": "听证主持人执法证号",
    "recusal": "回避申请及处理",
    "waived": "放弃听证",
    "record": "听证笔录摘要",
    "passed": "审核通过",
    "attendees": "参加讨论的负责人",
    "conclusion": "讨论结论",
    "approved_on": "批准日期",
    "education": "教育情况",
    "correction": "改正情况",
    "reported_on": "报告日期",
    "transferred_on": "移送日期",
    "organ": "接受移送的机关",
    "unit_kind": "单位类型",
    "rectification": "整改通知",
    "report_text": "整改报告",
    "proposal": "追责建议内容",
    "reply": "答复内容",
    "unit_code": "滞后单位",
    "main_to": "主送",
    "copy_to": "抄送",
    "requirement": "整改要求",
    "days": "期限（工作日）",
    "held_on": "约谈日期",
    "minutes": "约谈纪要",
    "recipient": "追责建议送达机关",
    "decision_id": "督查决定",
    "team": "核查人员",
    "items": "检查事项",
    "visited_on": "核查日期",
    "finding": "核查结论",
    "case_decision": "立案决定",
    "decision": "受理决定",
    "state": "办理状态",
    "body": "请求内容",
    "file": "文件",
    "uscc": "统一社会信用代码",
    "name": "名称",
    "legal_rep_name": "法定代表人",
    "legal_rep_id_number": "法定代表人身份证号码",
    "region_code": "行政区划代码",
    "township_code": "乡镇街道代码",
    "industry_code": "行业代码",
    "registered_on": "成立日期",
    "status": "登记状态",
    "matter": "许可事项",
    "matter_code": "许可事项代码",
    "matter_name": "许可事项名称",
    "department_code": "部门代码",
    "department_codes": "参与部门",
    "department_kind": "部门类别",
    "issued_on": "发证日期",
    "expires_on": "有效期至",
    "list_type": "名单类型",
    "reason": "事由",
    "legal_basis": "法律依据",
    "public_summary": "公示摘要",
    "found_on": "发现日期",
    "evidence": "证据",
    "action": "操作",
    "note": "说明",
    "decision_number": "决定书文号",
    "commitment_letter": "信用承诺书",
    "ground": "列入事由",
    "item_code": "抽查事项编号",
    "seq": "序号",
    "text": "检查内容",
    "criterion": "判定标准",
    "severity": "严重程度",
    "discretion_ref": "裁量基准",
    "check_methods": "核查方式",
    "format": "格式",
    "decided_on": "处罚决定日期",
    "content": "处罚内容",
    "penalty_id": "行政处罚信息",
    "penalty_kind": "处罚种类",
    "officers": "董事、监事、高级管理人员",
    "confirm_restricted": "已核实任职限制",
    "kind": "申请类型",
    "contact_name": "联系人",
    "contact_phone": "联系电话",
    "attachments": "附件",
    "number": "申请编号",
    "application_id": "申请",
    "penalty_number": "行政处罚决定书文号",
    "penalty_on": "行政处罚决定日期",
    "penalty_field": "处罚领域",
    "order_number": "责令限期公示通知书文号",
    "order_due": "责令公示期限",
    "statement_due": "陈述申辩期限",
    "higher_approved_by": "上一级同意",
    "approved_by": "决定人",
    "objected_on": "异议提出日期",
    "applied_on": "申请日期",
    "review_kind": "救济途径",
    "conditions": "修复条件",
    "document": "发布文件",
    "valid_from": "有效期起始日",
    "valid_until": "有效期截止日",
    "granted": "是否准予许可",
    "measures_applied": "已采取的措施",
    "check_id": "核查编号",
    "category": "检查结果",
    "points": "检查要点",
    "point_id": "检查要点",
    "files": "附件",
    "sha256": "附件",
    "deadline_days": "改正期限（工作日）",
    "ticket_no": "工单号",
    "received_at": "受理时间",
    "channel": "来源渠道",
    "firm_name": "被投诉举报对象名称",
    "firm_address": "被投诉举报对象地址",
    "complainant_name": "投诉举报人姓名",
    "complainant_phone": "投诉举报人电话",
    "confidential": "要求保密",
    "refer_department": "接收部门",
    "outcome": "复查结论",
    "checked_on": "复查日期",
    "case_number": "案件编号",
    "filed_on": "立案日期",
    "amount": "罚没金额",
    "serious_ground": "属于严重违法失信列入情形",
    "field": "处罚领域",
    "served_on": "送达日期",
    "fulfilled_on": "履行日期",
    "disposal_id": "后续处置",
    "case_id": "案件",
    "on": "日期",
    "when": "时间范围",
    "findings": "检查情况",
    "inspected_on": "检查日期",
    "target_id": "检查任务",
    "code": "编号",
    "title": "标题",
    "plan_code": "计划编号",
    "year": "年份",
    "quarter": "季度",
    "item_codes": "抽查事项",
    "window_start": "检查开始日期",
    "window_end": "检查截止日期",
    "ratios": "抽查比例",
    "team_size": "每组人数",
    "scope_industries": "适用行业",
    "scope_matters": "适用许可事项",
    "method": "检查方式",
    "specialty": "专业领域",
    "participant": "参与方",
    "commitment": "承诺值",
    "secret": "随机数原文",
    "beacon_value": "公开信标值",
    "beacon_source": "公开信标来源",
    "beacon_issue": "公开信标期号",
    "beacon_at": "公开信标开奖时间",
    "assignment": "组队方式",
    "office_township_code": "所在乡镇街道（岗位）",
    "residence_township_code": "居住乡镇街道",
    "specialties": "专业领域",
    "participants": "参与方",
    "commitments": "承诺",
    "relation": "关联关系",
    "region": "行政区划",
    "period": "期间",
    "page": "页码",
    "per_page": "每页条数",
    "q": "查询词",
    "day": "日期",
    "working": "是否工作日",
    "holidays": "放假日期",
    "workdays": "调休上班日期",
    "notice": "通知文号",
    "username": "用户名",
    "password": "密码",
    "role": "角色",
    "current_password": "当前密码",
    "new_password": "新密码",
    "confirm_password": "确认新密码",
    "csrf_token": "表单令牌",
    "level": "层级",
}

HTTP_MESSAGES = {
    400: "请求有误",
    401: "请先登录",
    403: "无权访问此页面或进行此操作",
    404: "页面或资源不存在",
    405: "不支持此请求方法",
    409: "与当前状态冲突",
    413: "上传内容过大",
    415: "不支持的内容类型",
    422: "输入有误",
    429: "请求过于频繁，请稍后再试",
    500: "系统内部错误，已记录",
    503: "服务暂不可用，请稍后再试",
}

JOB_STATES = {
    "queued": "排队中",
    "started": "处理中",
    "deferred": "等待前序任务",
    "scheduled": "等待重试",
    "finished": "已完成",
    "failed": "失败",
    "stopped": "已停止",
    "canceled": "已取消",
}

AUDIT_ACTIONS = {
    "user.login": "登录",
    "user.login_failed": "登录失败",
    "user.login_locked": "登录被锁定",
    "user.created": "创建账户",
    "user.disabled": "停用账户",
    "user.sessions_ended": "结束登录会话",
    "import.requested": "提交导入任务",
    "user.enabled": "启用账户",
    "user.password_changed": "修改密码",
    "user.password_reset": "重置密码",
    "token.issued": "签发令牌",
    "token.revoked": "吊销令牌",
    "enterprise.created": "登记市场主体",
    "enterprise.imported": "导入市场主体",
    "license.created": "登记许可",
    "enterprise.officers_changed": "变更法定代表人和董事、监事、高级管理人员",
    "enterprise.officer_restricted": "任职限制提示（登记人员已核实）",
    "license.unchecked": "未查询即许可",
    "item.created": "新增抽查事项",
    "item.updated": "修改抽查事项",
    "plan.published": "公布抽查计划",
    "task.created": "创建抽查任务",
    "task.committed": "提交随机数承诺",
    "task.frozen": "冻结抽取名单",
    "task.revealed": "揭示随机数",
    "draw.performed": "执行抽取",
    "draw.full_bundle_read": "下载完整复核包",
    "draw.verified": "复核抽取",
    "result.recorded": "录入检查结果",
    "result.confirmed": "确认检查结果",
    "result.published": "审核并公示检查结果",
    "result.returned": "退回检查结果",
    "result.corrected": "更正检查结果",
    "visit.sheet_printed": "打印随机抽查情况记录表",
    "result.attachment_added": "上传检查附件",
    "disposal.created": "登记后续处置",
    "disposal.rechecked": "登记复查结论",
    "disposal.acknowledged": "签收抄告",
    "disposal.closed": "后续处置完结",
    "disposal.notice_printed": "打印责令改正通知书",
    "complaint.received": "接收投诉举报工单",
    "complaint.matched": "确认投诉举报对象",
    "complaint.rerouted": "改派投诉举报承办部门",
    "oversight.proposed": "提出督查决定（待另一人确认）",
    "oversight.withdrawn": "撤回督查决定",
    "oversight.notice": "签发督查通报",
    "oversight.rectify": "下发整改通知",
    "oversight.accept": "通过整改报告",
    "oversight.return": "退回整改报告",
    "oversight.interview": "记录约谈",
    "oversight.accountability": "提出追责建议",
    "oversight.report_submitted": "提交整改报告",
    "oversight.notice_printed": "打印督查通报",
    "oversight.review_requested": "申请复核督查结论",
    "oversight.review_decided": "作出督查结论复核决定",
    "oversight.rechecked": "下一周期复核整改单位指标",
    "complaint.signed": "签收投诉举报工单",
    "complaint.accepted": "受理投诉举报（或转入核查）",
    "complaint.verified": "记录投诉举报核查结果",
    "complaint.closed": "办结投诉举报工单",
    "complaint.replied": "答复投诉举报人",
    "complaint.rectification_ordered": "投诉举报核查后责令改正",
    "reminders.sent": "发送待办提醒",
    "oversight.paper_printed": "打印督查文书",
    "credit.notice_printed": "打印列入经营异常名录告知书",
    "complaint.mediation_start": "组织投诉调解",
    "complaint.mediation_suspend": "中止投诉调解",
    "complaint.mediation_resume": "恢复投诉调解",
    "complaint.mediation_agree": "登记调解协议",
    "complaint.mediation_terminate": "终止投诉调解",
    "complaint.mediation_end_noticed": "告知终止调解",
    "complaint.reporter_noticed": "告知实名举报人是否立案",
    "complaint.split": "投诉举报分别处理（另立举报）",
    "complaint.clue": "调解中发现违法线索另立核查",
    "case.filed": "案件立案",
    "case.not_filed": "决定不予立案",
    "case.decided": "作出行政处罚决定",
    "case.served": "处罚决定送达",
    "case.fulfilled": "处罚决定履行",
    "case.notified": "行政处罚告知",
    "credit.bars_recorded": "记录处罚决定附带的任职、从业限制",
    "case.statement": "登记当事人陈述、申辩",
    "case.statement_reviewed": "复核陈述、申辩",
    "case.hearing_requested": "登记听证申请",
    "case.hearing_noticed": "发出听证通知",
    "case.hearing_held": "举行听证",
    "case.hearing_waived": "当事人放弃听证",
    "case.legal_review": "法制审核",
    "case.collective": "负责人集体讨论",
    "case.extended": "延长办案期限",
    "case.filing_extended": "延长立案期限",
    "case.lenient_list_imported": "导入不予处罚清单",
    "case.no_penalty": "作出不予行政处罚决定",
    "case.transferred": "移送司法机关",
    "case.paper_printed": "打印案件文书",
    "conflict.declared": "申报回避",
    "calendar.override_set": "设置工作日",
    "calendar.year_entered": "录入年度节假日",
    "schedule.built": "编排联合检查",
    "report.requested": "申请生成督查报告",
    "report.generated": "生成督查报告",
    "audit.verify_requested": "申请校验审计链",
    "audit.verified": "校验审计链",
    "audit.anchored": "锚定审计链",
    "credit.proposed": "拟列入",
    "credit.notify": "送达告知书",
    "risk.model_fitted": "训练信用风险模型",
    "risk.scored": "信用风险评分",
    "risk.score_requested": "发起信用风险评分",
    "risk.history_exported": "导出风险评估历史数据",
    "credit.approve_higher": "上一级同意列入",
    "credit.withdraw": "撤回",
    "credit.decide": "决定列入",
    "credit.object": "登记异议",
    "credit.accept_objection": "受理异议",
    "credit.reject_objection": "不予受理异议",
    "credit.uphold": "核实后维持列入",
    "credit.remove": "核实后撤销列入",
    "credit.record_review": "登记行政复议/诉讼",
    "credit.review_upheld": "登记复议、诉讼结果：维持",
    "credit.revoke": "处罚被撤销，撤销列入",
    "credit.apply_repair": "登记移出（信用修复）申请",
    "credit.approve_repair": "准予移出",
    "credit.reject_repair": "不予移出",
    "credit.expire": "期满移出",
    "credit.imported": "导入红名单",
    "credit.report_generated": "生成企业信用报告",
    "item.checklist_imported": "导入检查要点",
    "credit.penalty_published": "公示行政处罚信息",
    "credit.penalty_stop_applied": "登记提前停止公示申请",
    "credit.penalty_stop_approved": "准予提前停止公示",
    "credit.penalty_stop_refused": "不予提前停止公示",
    "credit.penalty_withdrawn": "撤回行政处罚信息公示",
    "credit.penalty_display_ended": "行政处罚信息公示期满",
    "credit.application_submitted": "网上提交异议或信用修复申请",
    "credit.application_registered": "登记网上申请",
    "credit.application_returned": "退回网上申请",
    "credit.renewed": "红名单续期",
    "credit.red_imported": "导入发布的红名单",
    "credit.rules_loaded": "载入名单规则",
    "credit.statement": "登记陈述申辩",
    "credit.checked": "许可核查",
    "credit.outcome_reported": "报告许可办理结果",
    "credit.tier_changed": "信用风险等级变化",
    "credit.expiry_run": "名单到期处理",
    "inspectors.imported": "导入执法检查人员",
    "schedule.build_requested": "申请编排联合检查",
    "seed.demo_loaded": "载入演示数据",
    "seed.demo": "载入演示数据",
    "seed.credit_scenario": "载入演示信用场景",
}

_PYDANTIC = {
    "missing": "必填",
    "extra_forbidden": "不认识的字段",
    "string_type": "应为文本",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为是或否",
    "bool_type": "应为是或否",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_type": "日期格式应为 YYYY-MM-DD",
    "datetime_parsing": "时间格式应为 ISO 8601",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "string_pattern_mismatch": "格式不正确",
    "json_invalid": "不是有效的 JSON",
    "uuid_parsing": "格式不正确",
}


def label(field: str) -> str:
    """The Chinese label of a field path such as 'ratios.D', 'scope_industries.0' or 'line 3: uscc'."""
    row = re.fullmatch(r"line (\d+): (.+)", field)
    if row:
        return f"第 {row.group(1)} 行 {label(row.group(2))}"
    head, *rest = field.split(".")
    text = FIELD_LABELS.get(head, head)
    return f"{text}（{'.'.join(rest)}）" if rest else text


def pydantic_message(err: Mapping[str, Any]) -> str:
    """One pydantic error in Chinese (our own validators already speak Chinese)."""
    kind, ctx = str(err.get("type", "")), err.get("ctx") or {}
    if kind == "value_error":
        return str(err.get("msg", "")).removeprefix("Value error, ")
    if kind == "string_too_short":
        return "不能为空，请填写" if ctx.get("min_length") == 1 else f"至少 {ctx.get('min_length')} 个字符"
    if kind == "string_too_long":
        return f"不能超过 {ctx.get('max_length')} 个字符"
    if kind == "too_short":
        return f"至少 {ctx.get('min_length')} 项"
    if kind == "too_long":
        return f"不能超过 {ctx.get('max_length')} 项"
    if kind == "literal_error":
        return f"应为以下之一：{ctx.get('expected', '')}".replace("' or '", "'、'")
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        limit = next(iter(ctx.values()), "")
        return {
            "greater_than": f"应大于 {limit}",
            "greater_than_equal": f"不能小于 {limit}",
            "less_than": f"应小于 {limit}",
            "less_than_equal": f"不能大于 {limit}",
        }[kind]
    return _PYDANTIC.get(kind, "输入无效")


_UNSTAFFED = (
    (re.compile(r"^no eligible inspector from (.+)$"), "{0} 没有符合条件的执法人员（辖区、回避或工作量上限所致）"),
    (
        re.compile(r"^only (\d+) eligible inspectors; the team needs (\d+)$"),
        "符合条件的执法人员只有 {0} 名，每组需要 {1} 名",
    ),
)


def unstaffed_reason(text: str) -> str:
    """The draw record's fixed English reason for an unstaffed firm, in Chinese (the record itself stays as is)."""
    for pattern, template in _UNSTAFFED:
        match = pattern.match(text or "")
        if match:
            return template.format(*match.groups())
    return text


def actor_label(actor: str, names: Mapping[str, str] | None = None) -> str:
    """Who did something, as a person reads it: 'user:supervisor' -> the account's name."""
    kind, _, who = actor.partition(":")
    if kind == "user":
        return (names or {}).get(who, who)
    return {"cli": "命令行", "system": "系统", "seed": "演示数据", "anonymous": "匿名访问"}.get(kind, actor) + (
        f"（{who}）" if who and kind in ("system", "seed") else ""
    )


OBJECT_LABELS = {
    "draw_target": "检查对象", "user": "账户", "enterprise": "市场主体", "oversight": "督查事项", "task": "抽查任务",
    "list_entry": "名单条目", "inspection_item": "检查事项", "complaint": "投诉举报工单", "schedule": "联合检查排期",
    "report": "督查报告", "penalty_info": "行政处罚信息", "list_type": "名单类型", "licensing_check": "许可核查",
    "license": "行政许可", "draw": "抽取", "database": "数据库", "credit_application": "网上申请",
    "audit_log": "审计日志", "api_token": "接口令牌", "plan": "抽查计划", "outbox": "待办提醒",
    "lenient_item": "不予处罚清单事项", "job": "后台任务", "inspector_import": "执法人员导入",
    "inspector": "执法检查人员", "import": "导入", "enterprise_import": "市场主体导入", "enforcement_case": "案件",
    "disposal": "后续处置", "rectification": "整改事项", "calendar": "节假日日历",
}  # fmt: skip


def payload_label(text: str, values: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """An audit entry's content as a reader reads it: each key under its Chinese label, each coded value under
    its domain's label (values: key -> code -> label), other values as recorded."""
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return text
    if not isinstance(data, dict):
        return str(data)
    if not data:
        return "—"

    def value(v: object) -> str:
        if isinstance(v, bool):
            return "是" if v else "否"
        if isinstance(v, (list, dict)):
            return json.dumps(v, ensure_ascii=False)[:60]
        return "—" if v is None else str(v)

    coded = values or {}
    return "；".join(
        f"{AUDIT_KEYS.get(k) or FIELD_LABELS.get(k, k)}：{coded.get(k, {}).get(str(v)) or value(v)}"
        for k, v in data.items()
    )


AUDIT_KEYS = {
    "from": "原状态", "to": "新状态", "list_type": "名单类型", "proposed_by": "提出人", "kind": "类型",
    "outcome": "复核决定", "unit_kind": "对象类别", "assignment": "分派方式", "status": "状态", "task": "抽查任务",
    "sha256": "文件摘要", "state": "状态", "late": "是否超期", "channel": "方式", "reason": "理由", "note": "说明",
    "number": "文号", "count": "数量", "before": "原值", "after": "新值", "paper": "文书", "decision": "决定",
    "queued": "新提醒", "delivered": "送达", "claimed": "待推送", "source": "来源", "category": "类别",
    "confidential": "要求保密", "parent": "原工单", "due": "期限", "department": "部门", "team": "检查组",
    "finding": "核查结论", "case": "立案决定", "uscc": "统一社会信用代码", "matter": "许可事项", "redone": "重新核查",
}  # fmt: skip
