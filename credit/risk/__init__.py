"""智慧监管: the firm-risk engine. A pure core (history format, features as of a date, model, metrics, tiers,
inspector effect) that reads either the benchmark's CSV files or the system's own records (docs/risk.md)."""
