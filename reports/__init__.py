"""Accountability metrics and PDF reports for the supervision office (督查室)."""
