"""Realistic, deterministic demo data for a province (Zhejiang by default)."""
