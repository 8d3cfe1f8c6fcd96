"""The crisis suite: its messages, the leak check, and the figures.

crises.yml and negatives.yml were written blind to the detector (copied
unchanged from the writer's folder), and so were second_writer.yml to
twelfth_writer.yml, by eleven more writers; issue_examples.yml holds the kinds of
message issue 18 reports; tests/nlu/out_of_scope_everyday.yml adds 2,229
everyday requests as negatives.
"""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Dict, Iterable, List, Tuple

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
# The detector's own training material: no suite message may appear here.
CRISIS_TRAINING = [ROOT / "data" / "nlu" / "crisis.yml", *sorted((ROOT / "data" / "crisis").glob("*.yml"))]
# Later writers' sets, each written blind to the detector and measured before it
# was changed for them (tests/crisis/README.md has the figures).
WRITERS = ("second_writer.yml", "third_writer.yml", "fourth_writer.yml", "fifth_writer.yml", "sixth_writer.yml",
           "seventh_writer.yml", "eighth_writer.yml", "ninth_writer.yml", "tenth_writer.yml",
           "eleventh_writer.yml", "twelfth_writer.yml")
# Suite kinds -> the detector's kinds.
KINDS = {"overdose": "overdose", "suicide": "suicidal", "suicidal": "suicidal"}


def normalised(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9 ]", "", text.lower()).split())


def crises() -> List[dict]:
    items = []
    for name in ("crises.yml", *WRITERS, "issue_examples.yml"):
        for item in yaml.safe_load((HERE / name).read_text(encoding="utf-8"))["crises"]:
            items.append({**item, "kind": KINDS[item["kind"]], "source": name, "before": item.get("before") or []})
    return items


def negatives() -> List[dict]:
    items = []
    for name in ("negatives.yml", *WRITERS, "issue_examples.yml"):
        for item in yaml.safe_load((HERE / name).read_text(encoding="utf-8"))["negatives"]:
            items.append({**item, "source": name, "before": item.get("before") or []})
    everyday = yaml.safe_load((ROOT / "tests" / "nlu" / "out_of_scope_everyday.yml").read_text(encoding="utf-8"))
    for item in everyday["requests"]:
        items.append({"category": "everyday_benchmark", "domain": item.get("domain", ""), "language": item["language"],
                      "text": item["text"], "source": "out_of_scope_everyday.yml", "before": []})
    return items


def _examples(path: Path) -> Iterable[str]:
    for line in path.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("- ") and not stripped.startswith("- intent:"):
            yield stripped[2:].strip().strip('"')


def all_nlu_examples() -> Dict[str, str]:
    """normalised text -> intent, for every example in data/nlu."""
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from nlu_examples import intent_examples

    return {normalised(text): intent for intent, text in intent_examples()}


def leaks() -> Tuple[List[str], List[str]]:
    """(failures, notes). A failure: a suite message (crisis or negative) in the
    detector's own training material, or a crisis message anywhere in data/nlu.
    A note: a negative that is also another intent's NLU example (short replies
    such as "yes" or "hi" that other parts own): counted, not a failure."""
    crisis_training = {normalised(t): path.name for path in CRISIS_TRAINING for t in _examples(path)}
    nlu = all_nlu_examples()
    failures, notes = [], []
    for item in crises():
        key = normalised(item["text"])
        if key in crisis_training:
            failures.append(f"crisis message in {crisis_training[key]}: {item['text']!r}")
        elif key in nlu:
            failures.append(f"crisis message in data/nlu ({nlu[key]}): {item['text']!r}")
    for item in negatives():
        key = normalised(item["text"])
        if key in crisis_training:
            failures.append(f"negative in {crisis_training[key]}: {item['text']!r}")
        elif key in nlu:
            notes.append(f"negative is also a {nlu[key]} example: {item['text']!r}")
    return failures, notes


def figures(crisis_results: List[dict], negative_results: List[dict]) -> dict:
    """Recall per kind, language and form; false alarms per category and language."""
    def rate(hits: int, total: int) -> float:
        return round(hits / total, 4) if total else 0.0

    recall: Dict[str, Dict[str, List[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for r in crisis_results:
        for axis, value in (("all", "all"), ("kind", r["kind"]), ("language", r["language"]), ("form", r["form"]),
                            ("kind_language", f"{r['kind']}/{r['language']}")):
            cell = recall[axis][value]
            cell[0] += r["crisis_reply"]
            cell[1] += 1
    alarms: Dict[str, Dict[str, List[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for r in negative_results:
        for axis, value in (("all", "all"), ("category", r["category"]), ("language", r["language"])):
            cell = alarms[axis][value]
            cell[0] += r["crisis_reply"]
            cell[1] += 1
    return {
        "recall": {axis: {k: {"caught": c[0], "total": c[1], "rate": rate(*c)} for k, c in sorted(v.items())}
                   for axis, v in recall.items()},
        "false_alarms": {axis: {k: {"alarms": c[0], "total": c[1], "rate": rate(*c)} for k, c in sorted(v.items())}
                         for axis, v in alarms.items()},
        "wrong_kind": sum(1 for r in crisis_results if r["crisis_reply"] and r.get("reply_kind") != r["kind"]),
        "spanish_crises_answered_in_spanish": [
            sum(1 for r in crisis_results if r["language"] == "es" and r["crisis_reply"] and r.get("reply_language") == "es"),
            sum(1 for r in crisis_results if r["language"] == "es"),
        ],
        "spanish_crises_answered_in_english": [
            r["text"] for r in crisis_results
            if r["language"] == "es" and r["crisis_reply"] and r.get("reply_language") not in ("es", None)],
        # The other way round: a crisis written in English must not get the Spanish reply.
        "english_crises_answered_in_spanish": [
            r["text"] for r in crisis_results
            if r["language"] == "en" and r["crisis_reply"] and r.get("reply_language") == "es"],
        "missed": [r["text"] for r in crisis_results if not r["crisis_reply"]],
        "false_alarm_messages": [r["text"] for r in negative_results if r["crisis_reply"]],
    }
