"""Two Rasa servers and two action servers behind nginx on PostgreSQL + Redis
(the configuration of `make run-cluster`): concurrent conversations whose
consecutive turns land on different servers, then one server killed mid-run.
Tests run in file order on one cluster; the kill comes last."""
from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Dict, List, Optional

import aiohttp
import pytest

from actions.handoff import store
from connectors import web_ids
from runtime import responses
from tests.scale import cluster_support
from tests.support.webhook import webhook_receiver

pytestmark = pytest.mark.stack

CONVERSATIONS = 24
TURNS = [
    "hi", "what is heroin withdrawal like", "tell me more", "what treatment do you offer",
    "what is medical detox", "thanks",
]


@dataclass
class Turn:
    text: str
    status: Optional[int] = None  # None: no HTTP answer at all (connection dropped)
    messages: List[dict] = field(default_factory=list)
    upstream: str = ""
    sent_at: float = 0.0


KeepGoing = Callable[[str, List[Turn]], bool]  # (sender, turns so far) -> send another turn?


async def converse(session: aiohttp.ClientSession, url: str, sender: str, texts: List[str],
                   pause_s: float = 0.0, keep_going: Optional[KeepGoing] = None) -> List[Turn]:
    """Sends `texts` in order; with `keep_going`, cycles through them for as long as it says so."""
    turns: List[Turn] = []
    for text in itertools.cycle(texts) if keep_going else texts:
        if keep_going and not keep_going(sender, turns):
            break
        turn = Turn(text, sent_at=time.monotonic())
        try:
            async with session.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}) as reply:
                turn.status = reply.status
                turn.upstream = reply.headers.get("X-Upstream", "")
                body = await reply.json(content_type=None)
                if reply.status == 200 and isinstance(body, list):
                    turn.messages = body
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
            pass
        turns.append(turn)
        await asyncio.sleep(pause_s)
    return turns


async def run_conversations(url: str, senders: List[str], texts: List[str], pause_s: float = 0.0,
                            during=None, keep_going: Optional[KeepGoing] = None) -> Dict[str, List[Turn]]:
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        tasks = [converse(session, url, sender, texts, pause_s, keep_going) for sender in senders]
        if during is not None:
            tasks.append(during())
        results = await asyncio.gather(*tasks)
    return dict(zip(senders, results[:len(senders)]))


def answered(turn: Turn) -> bool:
    return turn.status == 200 and len(turn.messages) > 0


def stored_in_order(stored_texts: List[str], turns: List[Turn]) -> bool:
    """Every answered turn is stored, a failed one whole or not at all, in the
    order sent. (Consecutive turns never repeat a text, so a failed turn's text
    at the current position means it was stored.)"""
    position = 0
    for turn in turns:
        here = stored_texts[position] if position < len(stored_texts) else None
        if here == turn.text:
            position += 1
        elif answered(turn):
            return False
    return position == len(stored_texts)


def user_texts(events: List[dict]) -> List[str]:
    return [json.loads(event["data"]).get("text") for event in events if event["type"] == "user"]


def assert_whole_turns(sender: str, events: List[dict]) -> None:
    """Not corrupted: the conversation starts with a session start, every user
    message is followed by the bot's actions and ends with action_listen before
    the next user message, and nothing is stored twice."""
    assert events, f"{sender}: nothing stored"
    assert events[0]["action"] == "action_session_start", f"{sender}: does not start with a session start"
    listening = True
    for event in events:
        if event["type"] == "user":
            assert listening, f"{sender}: a user message arrived in the middle of another turn"
            listening = False
        elif event["type"] == "action" and event["action"] == "action_listen":
            listening = True
    assert listening, f"{sender}: the last turn is incomplete (no action_listen at the end)"
    timestamps = [json.loads(event["data"])["timestamp"] for event in events]
    assert len(set(zip(timestamps, (e["type"] for e in events), (e["action"] for e in events)))) == len(events), \
        f"{sender}: an event is stored twice"


def test_turns_spread_over_both_servers_and_every_event_is_stored_in_order(cluster):
    senders = [web_ids.for_label(f"scale-{index}") for index in range(CONVERSATIONS)]
    results = asyncio.run(run_conversations(cluster.url, senders, TURNS))

    for sender, turns in results.items():
        assert all(answered(turn) for turn in turns), \
            f"{sender}: unanswered turns {[(t.text, t.status) for t in turns if not answered(t)]}"
    servers = {turn.upstream for turns in results.values() for turn in turns}
    assert servers == {cluster.upstream_port("RASA1_PORT"), cluster.upstream_port("RASA2_PORT")}
    switches = sum(a.upstream != b.upstream for turns in results.values() for a, b in zip(turns, turns[1:]))
    pairs = sum(len(turns) - 1 for turns in results.values())
    assert switches >= pairs // 4, f"only {switches} of {pairs} consecutive turns changed server"

    stored = cluster.stored_events()
    for sender, turns in results.items():
        events = stored.get(sender, [])
        assert_whole_turns(sender, events)
        assert user_texts(events) == TURNS, f"{sender}: user messages stored out of order or missing"
        # Every reply the visitor got is stored, in order, the not-medical-advice
        # notice of the session start first (no turn here is a crisis, which
        # would go out before it).
        stored_replies = [json.loads(event["data"]).get("text") for event in events if event["type"] == "bot"]
        received = [message.get("text") for turn in turns for message in turn.messages]
        assert stored_replies[0] == responses.text("utter_session_notice")
        assert stored_replies == received, f"{sender}: stored replies differ from the replies sent"


def test_overlapping_turns_of_one_conversation_wait_for_each_other(cluster):
    """Two messages of the same conversation at the same moment, one to each
    server: the Redis lock store makes the second turn wait for the first."""
    senders = [web_ids.for_label(f"overlap-{index}") for index in range(8)]

    async def both_at_once() -> Dict[str, List[Turn]]:
        timeout = aiohttp.ClientTimeout(total=120)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            jobs = []
            for sender in senders:
                jobs += [converse(session, cluster.url, sender, ["what is detox"]),
                         converse(session, cluster.url, sender, ["what is tolerance"])]
            results = await asyncio.gather(*jobs)
        return {sender: results[2 * i] + results[2 * i + 1] for i, sender in enumerate(senders)}

    results = asyncio.run(both_at_once())
    stored = cluster.stored_events()
    for sender, turns in results.items():
        assert all(answered(turn) for turn in turns), f"{sender}: a turn was not answered"
        events = stored[sender]
        assert_whole_turns(sender, events)
        assert sorted(user_texts(events)) == ["what is detox", "what is tolerance"]
        assert sum(event["type"] == "action" and event["action"] == "action_session_start" for event in events) == 1


def test_event_broker_keeps_daily_counts_for_the_console(cluster):
    if not cluster.with_broker:
        pytest.skip("RabbitMQ is not running: the cluster runs without the event broker")
    deadline = time.monotonic() + 60
    while True:
        stored = cluster.stored_events()
        expected: Dict[str, int] = {}
        for events in stored.values():
            for event in events:
                expected[event["type"]] = expected.get(event["type"], 0) + 1
        counted = cluster.daily_counts()
        if counted == expected or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert counted == expected


def test_the_alerts_process_delivers_a_failed_staff_alert_once(cluster):
    """A request whose alert failed (the webhook was down) reaches staff when the
    webhook is back, through the cluster's `alerts` process, and only once."""
    request = store.HandoffRequest(conversation_id="scale-alert", channel="rest", first_name="Ana",
                                   contact_kind="phone", contact="+15550100123", best_time="mornings",
                                   for_whom="self", consent_at=datetime(2026, 1, 1), language="es")
    request_id, _ = store.save_request(request, "scale-alert-1", url=cluster.database_url)
    store.record_alert_attempt(request_id, "failed", url=cluster.database_url)
    with webhook_receiver(cluster.alert_webhook_port) as (_, received):
        deadline = time.monotonic() + 30
        while not received.requests and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(3)  # three more rounds of the alerts process: none may send it again
    alerts = [json.loads(body) for _, body in received.requests]
    assert [(alert["request_id"], alert["language"]) for alert in alerts] == [(request_id, "es")], \
        cluster.log("alerts")
    assert store.fetch(request_id, url=cluster.database_url)["alert_status"] == "sent"


def test_killing_one_rasa_server_mid_run_loses_no_stored_conversation(cluster):
    senders = [web_ids.for_label(f"kill-{index}") for index in range(CONVERSATIONS)]
    killed: Dict[str, float] = {}
    progress: Dict[str, List[Turn]] = {}

    # Timed by progress, not the clock: the kill comes once every conversation
    # has been answered twice, and each goes on for three turns after the kill
    # settles, however fast or slow the machine is.
    async def kill_rasa1_mid_run() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (
                len(progress) == len(senders) and all(sum(map(answered, turns)) >= 2 for turns in progress.values())):
            await asyncio.sleep(0.05)
        await asyncio.to_thread(cluster.kill, "rasa1")
        killed["at"] = time.monotonic()

    def keep_going(sender: str, turns: List[Turn]) -> bool:
        progress[sender] = turns
        if "at" not in killed:
            return len(turns) < 200
        return sum(turn.sent_at > killed["at"] + 1.0 for turn in turns) < 3

    results = asyncio.run(run_conversations(cluster.url, senders, TURNS, pause_s=0.2, during=kill_rasa1_mid_run,
                                            keep_going=keep_going))
    victim, survivor = cluster.upstream_port("RASA1_PORT"), cluster.upstream_port("RASA2_PORT")
    all_turns = [turn for turns in results.values() for turn in turns]
    failed = [turn for turn in all_turns if not answered(turn)]

    # Failures are only the turns in flight on the killed server, and the client
    # sees them (5xx or a dropped connection). How many conversations that hits
    # depends on the machine's speed (a slow server holds more turns in flight),
    # so no count is asserted: no failed turn went to the survivor or came later.
    window = killed["at"] + 1.0
    assert all(turn.status is None or turn.status >= 500 for turn in failed)
    assert all(turn.upstream in ("", victim) and turn.sent_at <= window for turn in failed), (
        [(t.text, t.status, t.upstream, round(t.sent_at - killed["at"], 2)) for t in failed])
    # Every conversation goes on through the other server. ($upstream_addr lists
    # every server nginx tried: "killed, survivor" when it moved on.)
    after_kill = [turn for turn in all_turns if turn.sent_at > window]
    assert {sender for sender, turns in results.items() if any(t.sent_at > window for t in turns)} == set(senders)
    assert all(answered(turn) and turn.upstream.endswith(survivor) for turn in after_kill)

    stored = cluster.stored_events()
    for sender, turns in results.items():
        events = stored.get(sender, [])
        assert_whole_turns(sender, events)
        texts = user_texts(events)
        assert stored_in_order(texts, turns), (
            f"{sender}: stored {[(e['type'], e['action'], json.loads(e['data']).get('text'), json.loads(e['data'])['timestamp'] % 1000) for e in events]},"
            f" sent {[(t.text, t.status, t.upstream, round(t.sent_at - killed['at'], 2), [m.get('text', '')[:30] for m in t.messages]) for t in turns]}")

    # The conversations go on through the other server.
    follow_up = asyncio.run(run_conversations(cluster.url, senders, ["what is medication assisted treatment"]))
    unfinished = {sender: (turns[0].status, turns[0].upstream, turns[0].messages) for sender, turns in follow_up.items()
                  if not (answered(turns[0]) and turns[0].upstream.endswith(survivor))}
    assert not unfinished, f"follow-up turns not answered by the survivor {survivor}: {unfinished}"
    stored = cluster.stored_events()
    for sender in senders:
        assert_whole_turns(sender, stored[sender])


def test_a_missing_service_fails_with_a_clear_message_in_ci(monkeypatch):
    settings = cluster_support.cluster.ClusterSettings(redis_url="redis://127.0.0.1:1/0")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="needs PostgreSQL and Redis: Redis is not reachable"):
        cluster_support.require_services(settings)
