"""投诉举报 from the 12345 platform: intake, statutory deadlines and the complainant's privacy."""
