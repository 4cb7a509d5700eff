"""Demo 检查要点 for the 市场监管 items (按标执法). Each point cites the law it checks; an article number is given
only where it is the well-known provision, and the criteria are the demo's wording of what counts as compliant.
The other departments' items are in seeds/checklists_more.py."""

from __future__ import annotations

from sqlmodel import Session, select

from inspections.checklists import import_points
from inspections.models import InspectionItem
from seeds.checklists_more import MORE_CHECKLISTS

FOOD = "《中华人民共和国食品安全法》"
EQUIP = "《中华人民共和国特种设备安全法》"
# The 2024 revision (国务院令第654号，2024年修订) rewrote 第十七条 and inserted 第十八条; 第八条 to 第十条 and the
# 抽查 article 第十四条 keep their numbers and duties, so the current text is cited (see credit/law.py).
DISCLOSURE = "《企业信息公示暂行条例》"
AD = "《中华人民共和国广告法》"
LOCAL_DISCRETION = "本省市场监管行政处罚裁量基准（本地设定，未引具体文号）"

# item code -> (检查内容, 法律依据, 判定标准, 严重程度, 裁量基准), in order
CHECKLISTS: dict[str, tuple[tuple[str, str, str, str, str], ...]] = {
    "SCJG-001": (
        (
            "上一年度年度报告按期报送并公示",
            f"{DISCLOSURE}第八条",
            "每年6月30日前已通过国家企业信用信息公示系统报送公示",
            "较重",
            "",
        ),
        ("年报所载住所、通信地址与实际相符", f"{DISCLOSURE}第九条", "实地或函询可按年报地址取得联系", "较重", ""),
        ("年报所载联系电话、电子邮箱有效", f"{DISCLOSURE}第九条", "抽查时可通过所报联系方式联系到企业", "一般", ""),
        (
            "股东认缴和实缴出资信息真实",
            f"{DISCLOSURE}第九条、第十条",
            "公示的出资额、出资时间与银行凭证、章程一致",
            "较重",
            "",
        ),
        (
            "即时信息在形成之日起20个工作日内公示",
            f"{DISCLOSURE}第十条",
            "股权变更、行政许可取得等信息已按期公示",
            "一般",
            "",
        ),
    ),
    "SCJG-002": (
        (
            "食品经营许可证在有效期内并在经营场所显著位置悬挂",
            f"{FOOD}第三十五条",
            "许可证真实有效、经营项目与实际相符并公开展示",
            "较重",
            LOCAL_DISCRETION,
        ),
        (
            "从业人员取得健康证明后上岗",
            f"{FOOD}第四十五条",
            "接触直接入口食品的从业人员均持有效健康证明",
            "较重",
            LOCAL_DISCRETION,
        ),
        (
            "建立并执行食品安全管理制度，配备食品安全管理人员",
            f"{FOOD}第四十四条",
            "有书面制度、有专（兼）职管理人员及培训记录",
            "一般",
            "",
        ),
        (
            "落实进货查验并记录",
            f"{FOOD}第五十三条",
            "查验供货者许可证和合格证明，进货查验记录完整并保存",
            "较重",
            LOCAL_DISCRETION,
        ),
        (
            "按要求贮存食品，定期清理变质或超过保质期的食品",
            f"{FOOD}第五十四条",
            "贮存温湿度符合标签要求，库存中无过期、变质食品",
            "严重",
            LOCAL_DISCRETION,
        ),
        ("预包装食品标签标识符合规定", f"{FOOD}第六十七条", "标签载明名称、规格、生产日期、保质期等事项", "一般", ""),
    ),
    "SCJG-003": (
        (
            "特种设备已办理使用登记",
            f"{EQUIP}第三十三条",
            "投入使用前或投入使用后30日内已办理使用登记，登记标志置于显著位置",
            "严重",
            LOCAL_DISCRETION,
        ),
        (
            "特种设备在检验有效期内",
            f"{EQUIP}第四十条",
            "检验合格有效期届满前一个月已申请定期检验，未使用超期设备",
            "严重",
            LOCAL_DISCRETION,
        ),
        (
            "作业人员取得相应资格",
            f"{EQUIP}第十四条",
            "现场作业人员持有效的特种设备作业人员证",
            "较重",
            LOCAL_DISCRETION,
        ),
        ("建立特种设备安全技术档案", f"{EQUIP}第三十五条", "档案含设计文件、检验报告、维护保养和运行记录", "一般", ""),
        ("经常性维护保养和定期自行检查", f"{EQUIP}第三十九条", "有维护保养合同或记录、月度自行检查记录", "一般", ""),
    ),
    "SCJG-004": (
        (
            "广告不含虚假或引人误解的内容",
            f"{AD}第二十八条",
            "商品性能、功能、产地等与实际相符，引证内容真实",
            "严重",
            LOCAL_DISCRETION,
        ),
        ("广告不使用“国家级”“最高级”“最佳”等用语", f"{AD}第九条", "广告中无绝对化用语", "较重", LOCAL_DISCRETION),
        ("广告具有可识别性", f"{AD}第十四条", "通过大众传播媒介发布的广告标明“广告”", "一般", ""),
        (
            "广告不含第九条禁止的其他情形",
            f"{AD}第九条",
            "不使用国旗、国徽，不损害国家尊严，不含淫秽、迷信等内容",
            "严重",
            "",
        ),
        ("互联网广告能够一键关闭", f"{AD}第四十四条", "弹出广告显著标明关闭标志，确保一键关闭", "一般", ""),
    ),
}


METHODS = {
    "SCJG-001": "书面检查,网络监测",
    "SCJG-002": "实地核查",
    "SCJG-003": "实地核查,书面检查",
    "SCJG-004": "网络监测",
    "WSJK-001": "实地核查,检验检测",
    "WSJK-002": "实地核查,书面检查",
    "WSJK-003": "实地核查,检验检测",
    "YJGL-001": "实地核查,书面检查",
    "YJGL-002": "实地核查",
    "YJGL-003": "实地核查,书面检查",
    "STHJ-001": "实地核查,检验检测,书面检查",
    "JTYS-001": "实地核查,书面检查",
    "WHLY-001": "实地核查",
    "WHLY-002": "书面检查,网络监测",
    "ZJ-001": "书面检查,网络监测",
    "NYNC-001": "实地核查,检验检测",
    "NYNC-002": "实地核查,书面检查",
}


def seed_checklists(session: Session) -> dict[str, int]:
    """Load the demo checklists through the same import the administrator uses, and the items' 核查方式."""
    items = {i.code: i for i in session.exec(select(InspectionItem)).all()}
    for code, methods in METHODS.items():
        if code in items:
            items[code].check_methods = methods
            session.add(items[code])
    known = set(items)
    rows: list[tuple[int, dict[str, str]]] = []
    for code, points in (CHECKLISTS | MORE_CHECKLISTS).items():
        if code not in known:
            continue
        for seq, (text, basis, criterion, severity, discretion) in enumerate(points, start=1):
            row = {"item_code": code, "seq": str(seq), "text": text, "legal_basis": basis}
            row |= {"criterion": criterion, "severity": severity, "discretion_ref": discretion}
            rows.append((len(rows) + 2, row))
    report = import_points(session, rows=rows, actor="seed:checklists", source="seeds/checklists.py")
    return {"points": report.imported}
