"""Demo 检查要点 for the other departments' items (卫健, 应急, 生态环境, 交通运输, 文旅, 住建).

Each point cites the instrument it checks. Article numbers could not be checked against the texts on this
machine, so none is given: the instrument is cited and says so (NOTE). The criteria are the demo's wording."""

# ruff: noqa: E501 - one point per line reads as the checklist it is
from __future__ import annotations

NOTE = "（条号待核对）"
PUBLIC_PLACE = "《公共场所卫生管理条例》" + NOTE
PUBLIC_PLACE_RULES = "《公共场所卫生管理条例实施细则》" + NOTE
MEDICAL = "《医疗机构管理条例》" + NOTE
PRACTITIONERS = "《中华人民共和国医师法》" + NOTE
HAZCHEM = "《危险化学品安全管理条例》" + NOTE
SAFETY = "《中华人民共和国安全生产法》" + NOTE
PERMIT = "《排污许可管理条例》" + NOTE
ROAD = "《中华人民共和国道路运输条例》" + NOTE
ENTERTAINMENT = "《娱乐场所管理条例》" + NOTE
TRAVEL = "《旅行社条例》" + NOTE
QUALIFICATION = "《建筑业企业资质管理规定》" + NOTE
OCCUPATIONAL = "《中华人民共和国职业病防治法》" + NOTE
PESTICIDE = "《农药管理条例》" + NOTE
VET_DRUG = "《兽药管理条例》" + NOTE
DISCRETION = "本地行政处罚裁量基准（本地设定，未引具体文号）"

# item code -> (检查内容, 法律依据, 判定标准, 严重程度, 裁量基准), in order
MORE_CHECKLISTS: dict[str, tuple[tuple[str, str, str, str, str], ...]] = {
    "WSJK-001": (
        (
            "取得公共场所卫生许可证并在有效期内",
            PUBLIC_PLACE,
            "许可证真实有效，经营项目与许可一致并公示",
            "较重",
            DISCRETION,
        ),
        ("从业人员取得有效健康合格证明", PUBLIC_PLACE, "直接为顾客服务的人员均持有效健康合格证明", "较重", DISCRETION),
        ("建立卫生管理制度和档案", PUBLIC_PLACE_RULES, "有卫生管理制度、管理人员和卫生管理档案", "一般", ""),
        (
            "按规定对顾客用品用具清洗消毒",
            PUBLIC_PLACE_RULES,
            "有消毒设施和消毒记录，用品用具一客一换",
            "较重",
            DISCRETION,
        ),
        ("室内空气、水质等卫生检测合格", PUBLIC_PLACE_RULES, "有年度卫生检测报告且结果公示", "一般", ""),
    ),
    "WSJK-002": (
        ("《医疗机构执业许可证》在有效期内并悬挂", MEDICAL, "许可证有效，诊疗科目与实际开展一致", "严重", DISCRETION),
        ("卫生技术人员取得相应执业资格", PRACTITIONERS, "医师、护士均已注册，执业范围与岗位相符", "严重", DISCRETION),
        ("按核准的诊疗科目开展诊疗活动", MEDICAL, "未超出登记的诊疗科目执业", "较重", DISCRETION),
        ("病历书写和保管符合规定", MEDICAL, "门诊、住院病历完整并按期保存", "一般", ""),
        ("医疗废物分类收集并交有资质单位处置", MEDICAL, "有分类收集设施、交接和转运记录", "较重", DISCRETION),
    ),
    "YJGL-001": (
        ("取得危险化学品经营许可证并在有效期内", HAZCHEM, "许可证有效，经营品种与许可范围一致", "严重", DISCRETION),
        ("主要负责人和安全管理人员经考核合格", HAZCHEM, "持有安全生产知识和管理能力考核合格证明", "较重", DISCRETION),
        ("储存场所和设施符合安全要求", HAZCHEM, "仓储条件、安全距离和消防设施符合标准", "严重", DISCRETION),
        ("建立销售记录并如实登记购买单位", HAZCHEM, "销售记录完整，剧毒品、易制爆品登记备查", "较重", DISCRETION),
        ("制定应急预案并定期演练", SAFETY, "有事故应急救援预案和演练记录", "一般", ""),
    ),
    "YJGL-002": (
        ("建立全员安全生产责任制", SAFETY, "责任制覆盖各岗位并经主要负责人签发", "一般", ""),
        ("从业人员经安全生产教育和培训", SAFETY, "有培训计划、考核记录，特种作业人员持证上岗", "较重", DISCRETION),
        ("开展隐患排查治理并建立台账", SAFETY, "隐患排查记录完整，重大隐患按期整改", "较重", DISCRETION),
        ("安全设施与主体工程同时设计施工投用", SAFETY, "安全设施“三同时”资料齐全", "一般", ""),
        ("为从业人员提供符合标准的劳动防护用品", SAFETY, "防护用品配备到位并有发放记录", "一般", ""),
    ),
    "STHJ-001": (
        ("持有排污许可证并按证排污", PERMIT, "排放口、污染物种类与许可证载明一致", "严重", DISCRETION),
        ("按规定开展自行监测并保存原始记录", PERMIT, "监测频次、点位符合许可证要求，记录保存完整", "较重", DISCRETION),
        ("建立环境管理台账", PERMIT, "台账记录生产设施和污染防治设施运行情况", "一般", ""),
        ("按时提交排污许可证执行报告", PERMIT, "年度、季度执行报告按期提交", "一般", ""),
        ("污染物排放浓度和排放量不超过许可限值", PERMIT, "监测数据未超过许可排放浓度和排放量", "严重", DISCRETION),
    ),
    "JTYS-001": (
        ("取得道路运输经营许可证并在有效期内", ROAD, "许可证有效，经营范围与实际一致", "严重", DISCRETION),
        ("营运车辆持有有效的道路运输证", ROAD, "车辆道路运输证有效并按期年审", "较重", DISCRETION),
        ("驾驶人员取得相应从业资格", ROAD, "驾驶员持有效从业资格证", "较重", DISCRETION),
        ("建立安全生产管理制度和车辆技术档案", ROAD, "有安全管理制度、车辆维护和检测记录", "一般", ""),
        ("未超范围经营或转让经营许可", ROAD, "未发现超范围经营、出租出借许可证件", "较重", DISCRETION),
    ),
    "WHLY-001": (
        ("取得娱乐经营许可证并在有效期内", ENTERTAINMENT, "许可证有效，场所地址和面积与许可一致", "严重", DISCRETION),
        (
            "按规定安装并运行视频监控设备",
            ENTERTAINMENT,
            "监控覆盖出入口和主要通道，录像保存期限符合规定",
            "较重",
            DISCRETION,
        ),
        ("营业时间符合规定", ENTERTAINMENT, "未在规定时段以外营业", "一般", ""),
        ("未接纳未成年人（歌舞娱乐场所）", ENTERTAINMENT, "设置未成年人禁入标志并查验身份", "较重", DISCRETION),
        ("曲目、游戏内容不含禁止内容", ENTERTAINMENT, "曲库和游戏内容经审核，无禁止内容", "较重", DISCRETION),
    ),
    "WHLY-002": (
        ("取得旅行社业务经营许可证", TRAVEL, "许可证有效，经营范围与业务一致", "严重", DISCRETION),
        ("按规定存入质量保证金", TRAVEL, "质量保证金足额存入并可查询", "较重", DISCRETION),
        ("与旅游者签订书面旅游合同", TRAVEL, "合同载明行程、费用、服务标准等事项", "一般", ""),
        ("委派持证导游并规范带团", TRAVEL, "导游持有效导游证，未安排购物或另付费项目诱导消费", "较重", DISCRETION),
        ("投保旅行社责任保险", TRAVEL, "责任保险在有效期内", "一般", ""),
    ),
    "ZJ-001": (
        (
            "资质证书在有效期内且信息与实际一致",
            QUALIFICATION,
            "证书有效，企业名称、法定代表人等信息已及时变更",
            "较重",
            DISCRETION,
        ),
        ("注册人员数量满足资质标准", QUALIFICATION, "注册建造师等人员数量、专业符合资质标准", "较重", DISCRETION),
        ("技术负责人和技术工人满足资质标准", QUALIFICATION, "技术负责人业绩、技术工人数量符合要求", "一般", ""),
        ("未超越资质等级承揽工程", QUALIFICATION, "在建工程规模与资质等级相符", "严重", DISCRETION),
        ("安全生产许可证在有效期内", QUALIFICATION, "持有有效的安全生产许可证", "较重", DISCRETION),
    ),
    "WSJK-003": (
        ("设置职业卫生管理机构或配备专兼职管理人员", OCCUPATIONAL, "有职业卫生管理机构或人员及管理制度", "一般", ""),
        ("如实申报职业病危害项目", OCCUPATIONAL, "已在系统中申报并及时变更", "较重", DISCRETION),
        (
            "定期检测评价工作场所职业病危害因素",
            OCCUPATIONAL,
            "有有效期内的检测报告，结果在醒目位置公告",
            "较重",
            DISCRETION,
        ),
        (
            "组织劳动者职业健康检查并建立监护档案",
            OCCUPATIONAL,
            "上岗前、在岗期间、离岗时体检记录完整",
            "较重",
            DISCRETION,
        ),
        ("提供符合要求的职业病防护用品", OCCUPATIONAL, "防护用品配备到位并有发放和使用记录", "一般", ""),
    ),
    "YJGL-003": (
        (
            "主要负责人和安全管理人员具备相应安全知识和管理能力",
            SAFETY,
            "按规定经考核合格或培训合格",
            "较重",
            DISCRETION,
        ),
        ("按规定设置安全生产管理机构或配备安全管理人员", SAFETY, "机构或人员配备符合行业规模要求", "较重", DISCRETION),
        ("安全生产费用按规定提取和使用", SAFETY, "有提取和使用台账", "一般", ""),
        ("建立双重预防机制", SAFETY, "有风险分级管控清单和隐患排查治理记录", "一般", ""),
        ("依法参加工伤保险或投保安全生产责任保险", SAFETY, "保单或缴费凭证在有效期内", "一般", ""),
    ),
    "NYNC-001": (
        ("取得农药经营许可证并在有效期内", PESTICIDE, "许可证有效，经营场所与许可一致", "严重", DISCRETION),
        ("建立采购台账和销售台账", PESTICIDE, "台账载明名称、规格、数量、供货人和购买人", "较重", DISCRETION),
        ("经营的农药有登记证号且标签合格", PESTICIDE, "抽查品种均在登记有效期内，标签内容完整", "较重", DISCRETION),
        (
            "限制使用农药实行定点经营并实名购买",
            PESTICIDE,
            "限制使用农药单独柜台销售并记录购买人信息",
            "严重",
            DISCRETION,
        ),
        ("不得经营禁用农药和假劣农药", PESTICIDE, "库存和货架无禁用、假劣农药", "严重", DISCRETION),
    ),
    "NYNC-002": (
        ("取得兽药经营许可证并在有效期内", VET_DRUG, "许可证有效，经营范围与实际一致", "严重", DISCRETION),
        ("执行兽药经营质量管理规范", VET_DRUG, "有质量管理制度、人员培训和设施设备记录", "一般", ""),
        ("建立购销记录", VET_DRUG, "购销记录载明产品名称、批号、数量和购销单位", "较重", DISCRETION),
        ("经营的兽药有批准文号和合格标签", VET_DRUG, "抽查产品均有批准文号，标签说明书合规", "较重", DISCRETION),
        ("兽用处方药凭处方销售", VET_DRUG, "处方药与非处方药分区陈列，凭兽医处方销售", "较重", DISCRETION),
    ),
}
