"""A visit: recording against the checklists, team confirmation, review and publication (web layer)."""
