"""Split CPU-bound, side-effect-free work (SHA-256 tickets) across forked processes.

A draw hashes every firm and, per selected firm, every covering inspector: millions of independent
SHA-256 calls whose inputs are already in memory. A forked child shares that memory, computes its
part and pipes back a small pickled result; it never touches the parent's database or Redis sockets
and leaves through os._exit, so nothing of the parent's state is flushed or closed twice."""

from __future__ import annotations

import logging
import os
import pickle
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from supervise.config import tuning

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")


def available_processes() -> int:
    """How many processes a draw may use: SUPERVISE_DRAW_PROCESSES, else the machine's CPU count."""
    configured = tuning().draw_processes
    if configured:
        return configured
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def can_fork() -> bool:
    """Forking is safe only where it exists and no other thread could hold a lock the child inherits."""
    return hasattr(os, "fork") and threading.active_count() == 1


def chunks(total: int, parts: int) -> list[range]:
    """Cut range(total) into `parts` contiguous ranges of near-equal length (fewer when it is short)."""
    parts = max(1, min(parts, total))
    size, extra = divmod(total, parts)
    out, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        out.append(range(start, end))
        start = end
    return out


def fork_map(fn: Callable[[T], R], parts: Sequence[T]) -> list[R]:
    """Return [fn(p) for p in parts], computing all but the last part in forked children."""
    if len(parts) <= 1 or not can_fork():
        if len(parts) > 1 and hasattr(os, "fork"):  # a draw then takes about twice as long: say why
            others = ", ".join(t.name for t in threading.enumerate() if t is not threading.current_thread())
            log.info("computing %d parts in this process: other threads (%s) forbid forking", len(parts), others)
        return [fn(p) for p in parts]
    children: list[tuple[int, int]] = []
    for part in parts[:-1]:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: compute, send, leave without running the parent's exit handlers
            status = 0
            try:
                os.close(read_end)
                with os.fdopen(write_end, "wb") as out:
                    try:
                        payload: tuple[bool, object] = (True, fn(part))
                    except Exception as exc:  # sent back and re-raised in the parent
                        payload = (False, exc)
                    pickle.dump(payload, out, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:
                status = 1
            finally:
                os._exit(status)
        os.close(write_end)
        children.append((pid, read_end))
    results: list[R] = []
    error: BaseException | None = None
    try:
        last = fn(parts[-1])
    except BaseException as exc:
        error = exc
    for pid, read_end in children:
        with os.fdopen(read_end, "rb") as source:
            try:
                ok, value = pickle.load(source)  # noqa: S301 - written by our own child
            except EOFError:
                ok, value = False, RuntimeError(f"worker process {pid} died without a result")
        os.waitpid(pid, 0)
        if not ok and error is None:
            error = value if isinstance(value, BaseException) else RuntimeError(str(value))
        results.append(value)
    if error is not None:
        raise error
    results.append(last)
    return results


PARALLEL_MIN = 50_000  # below this a fork costs more than it saves


def processes_for(items: int) -> int:
    """The processes worth using for `items` independent hashes."""
    return available_processes() if items >= PARALLEL_MIN else 1
