"""A throwaway demo installation on the embedded default, served by the README's gunicorn (2 workers), for the
benches that drive it over loopback like its users would."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Served:
    env: dict[str, str]
    port: int
    tokens: dict[str, str]

    def request(
        self, method: str, path: str, user: str, body: bytes | None = None, ctype: str = ""
    ) -> tuple[int, bytes]:
        """One request as `user` (by bearer token); (status, body)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        headers = {"Authorization": f"Bearer {self.tokens[user]}"}
        if ctype:
            headers["Content-Type"] = ctype
        try:
            conn.request(method, path, body=body, headers=headers)
            resp = conn.getresponse()
            return resp.status, resp.read()
        finally:
            conn.close()


def supervise(env: dict[str, str], *args: str) -> str:
    """Run the `supervise` command in the installation; its standard output."""
    done = subprocess.run(
        [sys.executable, "-c", "from supervise.entry import main; main()", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@contextmanager
def demo_served(*, entities: int, users: tuple[str, ...], worker: bool = False) -> Iterator[Served]:
    """The demo province in a new instance folder, gunicorn on a free port (and a `supervise worker`)."""
    with tempfile.TemporaryDirectory() as instance:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env |= {"SUPERVISE_ENV": "development", "SUPERVISE_INSTANCE": instance}
        supervise(env, "db", "upgrade")
        supervise(env, "seed", "demo", "--entities", str(entities), "--seed", "2026")
        tokens = {u: supervise(env, "token", "create", "--username", u, "--name", "bench").strip().splitlines()[-1]
                  for u in users}  # fmt: skip
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                 "supervise:create_app()"],
                env=env, cwd=ROOT, **quiet,  # type: ignore[arg-type]
            )
        ]  # fmt: skip
        if worker:
            procs.append(
                subprocess.Popen(
                    [sys.executable, "-c", "from supervise.entry import main; main()", "worker"],
                    env=env, cwd=ROOT, **quiet,  # type: ignore[arg-type]
                )
            )  # fmt: skip
        served = Served(env, port, tokens)
        try:
            for _ in range(300):
                try:
                    if served.request("GET", "/healthz", users[0])[0] == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.1)
            yield served
        finally:
            for proc in procs:
                proc.terminate()
                proc.wait(timeout=30)
