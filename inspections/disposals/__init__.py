"""后续处置: every finding of a visit followed to closure (责令改正 → 复查, 移送 → 立案 → 处罚, 抄告, 经营异常)."""
