"""Load generator: many concurrent multi-turn conversations through a bot's
REST channel, each conversation's turns sent one after another (the next turn
leaves when the previous reply arrived, like a visitor typing)."""
from __future__ import annotations

import asyncio
import itertools
import statistics
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

import aiohttp

from bench.conversations import CONVERSATIONS
from connectors import web_ids


@dataclass
class LoadResult:
    concurrency: int
    turns: int = 0
    errors: int = 0
    empty_replies: int = 0
    seconds: float = 0.0
    latencies_ms: List[float] = field(default_factory=list)

    def summary(self) -> Dict[str, object]:
        return {
            "concurrency": self.concurrency,
            "turns": self.turns,
            "errors": self.errors,
            "empty_replies": self.empty_replies,
            "seconds": round(self.seconds, 3),
            "throughput_msgs_per_s": round(self.turns / self.seconds, 2) if self.seconds else None,
            "p50_ms": percentile(self.latencies_ms, 50),
            "p95_ms": percentile(self.latencies_ms, 95),
            "p99_ms": percentile(self.latencies_ms, 99),
            "mean_ms": round(statistics.fmean(self.latencies_ms), 2) if self.latencies_ms else None,
        }


def percentile(values: Sequence[float], pct: float) -> Optional[float]:
    """Nearest-rank percentile (no interpolation: a reported p99 is a measured turn)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))  # ceil without floats drifting
    return round(ordered[int(rank) - 1], 2)


async def run_load(
    webhook_url: str,
    concurrency: int,
    conversations_total: int,
    sender_prefix: str,
    conversations: Sequence[Sequence[str]] = CONVERSATIONS,
    timeout_s: float = 60,
) -> LoadResult:
    """`concurrency` visitors; together they go through `conversations_total`
    conversations taken in a fixed order from the mix."""
    result = LoadResult(concurrency)
    queue: asyncio.Queue = asyncio.Queue()
    mix = itertools.cycle(conversations)
    for number in range(conversations_total):
        queue.put_nowait((web_ids.for_label(f"{sender_prefix}-{number}"), next(mix)))

    connector = aiohttp.TCPConnector(limit=concurrency, force_close=False)
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def visitor() -> None:
            while not queue.empty():
                sender, turns = queue.get_nowait()
                for text in turns:
                    started = time.perf_counter()
                    try:
                        async with session.post(webhook_url, json={"sender": sender, "message": text}) as reply:
                            body = await reply.json(content_type=None)
                            answered = reply.status == 200 and isinstance(body, list)
                    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
                        answered = False
                    if answered:
                        # The starter bot sometimes answers a turn with nothing (ours never does).
                        result.empty_replies += not body
                        result.latencies_ms.append((time.perf_counter() - started) * 1000)
                        result.turns += 1
                    else:
                        result.errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(visitor() for _ in range(concurrency)))
        result.seconds = time.perf_counter() - started
    return result


def run_load_sync(*args, **kwargs) -> LoadResult:
    return asyncio.run(run_load(*args, **kwargs))
