"""The in-process limit: one bot's turn cost with `Agent.handle_text` in a loop,
no HTTP, same conversation mix, one conversation at a time.

    python -m bench.inprocess --model models/current.tar.gz --endpoints endpoints.yml \
        --runtime --conversations 60

Prints one JSON object. With --endpoints the agent uses the same tracker store,
lock store and action server as the HTTP server does, so the difference to the
server's numbers is the cost of serving over HTTP. --runtime installs our
changes of Rasa's turn (runtime/), as the server does.
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import logging
import statistics
import time


async def measure(model: str, endpoints_path: str | None, conversations_total: int, warmup: int) -> dict:
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints

    from bench.conversations import CONVERSATIONS
    from bench.load import percentile

    endpoints = AvailableEndpoints.read_endpoints(endpoints_path) if endpoints_path else None
    agent = await load_agent(model_path=model, endpoints=endpoints)

    unanswered = 0

    async def converse(sender: str, turns) -> list:
        nonlocal unanswered
        costs = []
        for text in turns:
            started = time.perf_counter()
            replies = await agent.handle_text(text, sender_id=sender)
            costs.append((time.perf_counter() - started) * 1000)
            unanswered += not replies
        return costs

    mix = itertools.cycle(CONVERSATIONS)
    for number in range(warmup):
        await converse(f"inprocess-warmup-{time.time_ns()}-{number}", next(mix))

    mix = itertools.cycle(CONVERSATIONS)
    costs: list = []
    started = time.perf_counter()
    for number in range(conversations_total):
        costs += await converse(f"inprocess-{time.time_ns()}-{number}", next(mix))
    seconds = time.perf_counter() - started
    return {
        "turns": len(costs),
        "unanswered": unanswered,
        "seconds": round(seconds, 3),
        "ms_per_turn_mean": round(statistics.fmean(costs), 2),
        "ms_per_turn_p50": percentile(costs, 50),
        "ms_per_turn_p95": percentile(costs, 95),
        "limit_msgs_per_s": round(len(costs) / seconds, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--endpoints")
    parser.add_argument("--runtime", action="store_true", help="install runtime/ first, as the server does")
    parser.add_argument("--conversations", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=6)
    args = parser.parse_args()
    # The same logging set-up as `rasa run` at its default level (INFO).
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.INFO)
    configure_structlog(logging.INFO)
    if args.runtime:
        from runtime import install

        install()
    result = asyncio.run(measure(args.model, args.endpoints, args.conversations, args.warmup))
    print("BENCH_RESULT " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
