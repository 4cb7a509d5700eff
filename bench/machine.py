"""What the machine itself is doing: a probe of CPU speed and stalls, printed next to every bench's numbers.

On a shared virtual machine the CPU's speed varies from minute to minute and, for tens of milliseconds at
a time, drops to a small fraction; those periods set the tail of any latency measured here."""

from __future__ import annotations

import time


def cpu_stalls(seconds: float = 6.0) -> dict[str, float]:
    """Probe the machine: run a fixed slice of work back to back and find where it ran at under half speed."""

    def work() -> None:
        total = 0
        for i in range(20_000):
            total += i * i

    times: list[tuple[float, float]] = []
    t0 = time.perf_counter()
    while (now := time.perf_counter()) - t0 < seconds:
        work()
        times.append((now - t0, time.perf_counter() - now))
    base = sorted(d for _t, d in times)[len(times) // 2]
    slow = [(t, d) for t, d in times if d > 2 * base]
    episodes: list[list[float]] = []  # [start, end, worst slowdown]
    for t, d in slow:
        if episodes and t - episodes[-1][1] < 0.05:
            episodes[-1][1], episodes[-1][2] = t + d, max(episodes[-1][2], d / base)
        else:
            episodes.append([t, t + d, d / base])
    return {
        "share": sum(d for _t, d in slow) / seconds,
        "episodes": len(episodes),
        "longest_ms": max((e[1] - e[0] for e in episodes), default=0.0) * 1000,
        "worst": max((e[2] for e in episodes), default=1.0),
        "slice_ms": base * 1000,
        "seconds": seconds,
    }


def describe(stalls: dict[str, float]) -> str:
    """One line for a bench's output."""
    return (
        f"machine: a fixed slice of work took {stalls['slice_ms']:.2f} ms (median); it ran at under half that speed "
        f"{stalls['share']:.0%} of a {stalls['seconds']:.0f} s probe, in {stalls['episodes']:.0f} episodes "
        f"(longest {stalls['longest_ms']:.0f} ms, down to 1/{stalls['worst']:.0f} speed)"
    )
