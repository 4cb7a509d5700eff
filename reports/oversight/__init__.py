"""督查 after the report: 督查通报, 整改通知, 整改报告, 约谈 and 追责建议, every decision under four eyes."""
