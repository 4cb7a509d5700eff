"""The `supervise` console script."""

from __future__ import annotations

import sys


def main() -> None:
    """Run the supervise command line; `draw verify` starts without loading the application."""
    if sys.argv[1:3] == ["draw", "verify"]:
        # The verifier needs only the published files: skipping Flask, the ORM and the domain commands
        # saves about a second of start-up on every public check.
        from inspections.draw.verify_cli import verify

        verify.main(args=sys.argv[3:], prog_name="supervise draw verify")
    else:
        from supervise.cli import main as full

        full()
