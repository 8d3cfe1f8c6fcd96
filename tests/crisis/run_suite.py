"""Runs the crisis suite on the trained model, as the bot answers in production.

    python tests/crisis/run_suite.py --model models/current.tar.gz --out reports

Every message goes through the agent with the runtime installed (runtime.install())
and the safety net's output channel, with the real action server: the messages
of `before` first (a conversation, or the hand-off form half filled in), then
the message itself. A crisis counts as caught when the first message the bot
sends on that turn is a crisis reply; a negative is a false alarm when any
crisis reply is sent on its turn. Writes reports/crisis.json and
reports/crisis.md, and exits 1 when a crisis is missed, the false-alarm rate is
over 1%, or a suite message appears in the detector's training material.

--detector-only scores the detector's decision alone (patterns and a classifier
fitted on the spot from data/), without a trained model: for quick work on it.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from tests.crisis import suite  # noqa: E402

MAX_FALSE_ALARM_RATE = 0.01
CRISIS_RESPONSES = ("utter_crisis_overdose", "utter_crisis_suicidal", "utter_overdose_signs",
                    "utter_overdose_steps", "utter_crisis_helplines")
KIND_OF_FIRST_REPLY = {"utter_crisis_overdose": "overdose", "utter_crisis_suicidal": "suicidal"}


def crisis_texts() -> Dict[str, Tuple[str, str]]:
    """Each crisis response text -> (response name, language of the variation)."""
    import yaml

    responses = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"]
    texts = {}
    for name in CRISIS_RESPONSES:
        for variation in responses[name]:
            conditions = variation.get("condition") or []
            language = next((c["value"] for c in conditions if c.get("name") == "language"), "en")
            texts[" ".join(variation["text"].split())] = (name, language)
    return texts


class ActionServer:
    """The project's action server (scripts/serve_actions.sh) on a free port."""

    def __init__(self) -> None:
        from tests.support.processes import free_port

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/webhook"
        self.process: Optional[subprocess.Popen] = None

    def __enter__(self) -> "ActionServer":
        from tests.support.processes import http_ready_within

        env = {**os.environ, "ACTIONS_PORT": str(self.port), "PYTHONPATH": str(ROOT)}
        self.log = open(ROOT / "reports" / "crisis_actions.log", "wb")
        self.process = subprocess.Popen([str(ROOT / "scripts" / "serve_actions.sh")], cwd=ROOT, env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        if not http_ready_within(f"http://127.0.0.1:{self.port}/health", 240, self.process, poll_s=0.5):
            self.__exit__()
            raise RuntimeError("the action server did not start (reports/crisis_actions.log)")
        return self

    def __exit__(self, *exc_info) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


async def run_on_agent(model: str, action_url: str) -> Tuple[List[dict], List[dict], dict]:
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.endpoints import EndpointConfig

    from runtime.safety_net import with_safety_net

    agent = await load_agent(model_path=model, endpoints=AvailableEndpoints(action=EndpointConfig(url=action_url)))
    handle = with_safety_net(agent.handle_message)
    texts = crisis_texts()
    turn_ms: List[float] = []

    async def turn(sender: str, text: str) -> List[dict]:
        output = CollectingOutputChannel()
        started = time.perf_counter()
        await handle(UserMessage(text, output, sender))
        turn_ms.append((time.perf_counter() - started) * 1000)
        return output.messages

    async def converse(item: dict) -> dict:
        sender = f"crisis-suite-{uuid.uuid4().hex}"
        for text in item["before"]:
            await turn(sender, text)
        sent = await turn(sender, item["text"])
        replies = [texts.get(" ".join((m.get("text") or "").split())) for m in sent]
        tracker = await agent.tracker_store.retrieve(sender)
        intent = (tracker.latest_message.intent or {}).get("name") if tracker else None
        first = replies[0] if replies else None
        return {
            **item,
            "first_reply_is_crisis": bool(first),
            "any_crisis_reply": any(replies),
            "reply_kind": KIND_OF_FIRST_REPLY.get(first[0]) if first else None,
            "reply_language": first[1] if first else None,
            "last_intent": intent,
            "replies": len(sent),
        }

    crisis_results = []
    for item in suite.crises():
        result = await converse(item)
        result["crisis_reply"] = result["first_reply_is_crisis"]
        crisis_results.append(result)
    negative_results = []
    for item in suite.negatives():
        result = await converse(item)
        result["crisis_reply"] = result["any_crisis_reply"]
        negative_results.append(result)
    detector = _detector_of(agent)
    return crisis_results, negative_results, {"turn_ms": turn_ms, "detector": detector}


def _detector_of(agent):
    from components.crisis_guard import CrisisDetector

    runner = agent.processor.graph_runner
    for node in getattr(runner, "_instantiated_nodes", {}).values():
        component = getattr(node, "_component", None)
        if isinstance(component, CrisisDetector):
            return component
    return None


def run_detector_only() -> Tuple[List[dict], List[dict], dict]:
    from rasa.shared.nlu.training_data.loading import load_data

    from components.crisis_guard import ClauseClassifier, CrisisDetector, examples_from

    texts, labels = examples_from(load_data(str(ROOT / "data" / "nlu")))
    detector = CrisisDetector(CrisisDetector.get_default_config(), None, None, ClauseClassifier.fit(texts, labels))
    crisis_results, negative_results = [], []
    for item in suite.crises():
        kind = detector.decide(item["text"])["kind"]
        crisis_results.append({**item, "crisis_reply": bool(kind), "reply_kind": kind, "reply_language": None})
    for item in suite.negatives():
        kind = detector.decide(item["text"])["kind"]
        negative_results.append({**item, "crisis_reply": bool(kind)})
    return crisis_results, negative_results, {"detector": detector}


def detector_cost(detector, messages: List[str]) -> dict:
    """The detector's own cost per message (its decision on the text alone)."""
    if detector is None:
        return {}
    for text in messages[:50]:
        detector.decide(text)  # warm-up
    costs = []
    for text in messages:
        started = time.perf_counter()
        detector.decide(text)
        costs.append((time.perf_counter() - started) * 1000)
    costs.sort()
    return {"messages": len(costs), "ms_mean": round(statistics.fmean(costs), 3),
            "ms_p50": round(costs[len(costs) // 2], 3), "ms_p95": round(costs[int(len(costs) * 0.95)], 3)}


def markdown(report: dict) -> str:
    lines = ["# Crisis suite", "", f"Mode: {report['mode']}. Model: {report.get('model') or '-'}.", ""]
    recall = report["figures"]["recall"]
    lines += ["## Recall (crisis reply first on that turn)", "", "| group | caught | total | recall |", "|---|---|---|---|"]
    for axis in ("all", "kind", "language", "kind_language", "form"):
        for key, cell in recall.get(axis, {}).items():
            lines.append(f"| {axis}: {key} | {cell['caught']} | {cell['total']} | {cell['rate']:.2%} |")
    alarms = report["figures"]["false_alarms"]
    lines += ["", "## False alarms (any crisis reply on that turn)", "", "| group | alarms | total | rate |",
              "|---|---|---|---|"]
    for axis in ("all", "category", "language"):
        for key, cell in alarms.get(axis, {}).items():
            lines.append(f"| {axis}: {key} | {cell['alarms']} | {cell['total']} | {cell['rate']:.2%} |")
    figures = report["figures"]
    es = figures["spanish_crises_answered_in_spanish"]
    lines += ["", f"Crisis reply of the other kind (e.g. 988 for an overdose): {figures['wrong_kind']}.",
              f"Spanish crises answered in Spanish: {es[0]} of {es[1]}." if report["mode"] == "agent" else "",
              f"Detector cost per message: {report.get('detector_cost')}.",
              f"Turn cost in this run (ms, mean/p95): {report.get('turn_ms')}.",
              f"Negatives that are also other intents' NLU examples (not failures): {report['leak_notes']}.", ""]
    for title, key in (("Missed", "missed"), ("False alarms", "false_alarm_messages"),
                       ("Spanish crises answered in English", "spanish_crises_answered_in_english"),
                       ("English crises answered in Spanish", "english_crises_answered_in_spanish")):
        if figures[key]:
            lines += [f"## {title}", ""] + [f"- {text!r}" for text in figures[key]] + [""]
    lines += ["## Result", "", "PASS" if report["passed"] else "FAIL: " + "; ".join(report["failures"]), ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", default=str(ROOT / "models" / "current.tar.gz"))
    parser.add_argument("--out", default=str(ROOT / "reports"))
    parser.add_argument("--detector-only", action="store_true")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    leak_failures, leak_notes = suite.leaks()
    if leak_failures:
        print("Suite messages in the crisis detector's training material (write new examples instead):")
        print("\n".join(f"  {line}" for line in leak_failures))
        return 1

    if args.detector_only:
        crisis_results, negative_results, extra = run_detector_only()
        mode = "detector-only"
    else:
        import structlog

        structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
        logging.basicConfig(level=logging.WARNING)
        from runtime import install

        install()
        with ActionServer() as actions:
            crisis_results, negative_results, extra = asyncio.run(run_on_agent(args.model, actions.url))
        mode = "agent"

    figures = suite.figures(crisis_results, negative_results)
    messages = [r["text"] for r in crisis_results + negative_results]
    report = {
        "mode": mode,
        "model": None if args.detector_only else args.model,
        "figures": figures,
        "detector_cost": detector_cost(extra.get("detector"), messages),
        "leak_notes": len(leak_notes),
    }
    if extra.get("turn_ms"):
        costs = sorted(extra["turn_ms"])
        report["turn_ms"] = [round(statistics.fmean(costs), 2), round(costs[int(len(costs) * 0.95)], 2)]
    failures = []
    if figures["missed"]:
        failures.append(f"{len(figures['missed'])} crisis messages missed")
    alarm_rate = figures["false_alarms"]["all"]["all"]["rate"]
    if alarm_rate > MAX_FALSE_ALARM_RATE:
        failures.append(f"false-alarm rate {alarm_rate:.2%} is over {MAX_FALSE_ALARM_RATE:.0%}")
    report["failures"] = failures
    report["passed"] = not failures
    name = "crisis" if mode == "agent" else "crisis_detector_only"
    (out / f"{name}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    (out / f"{name}.md").write_text(markdown(report), encoding="utf-8")
    all_recall = figures["recall"]["all"]["all"]
    print(f"Crisis suite ({mode}): recall {all_recall['caught']}/{all_recall['total']} ({all_recall['rate']:.2%}), "
          f"false alarms {figures['false_alarms']['all']['all']['alarms']}/{figures['false_alarms']['all']['all']['total']} "
          f"({alarm_rate:.2%}); detector {report['detector_cost']}; report in {out / (name + '.md')}")
    for text in figures["missed"]:
        print(f"  missed: {text!r}")
    for text in figures["false_alarm_messages"]:
        print(f"  false alarm: {text!r}")
    if failures:
        print("FAIL: " + "; ".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
