"""The held-out sets of tests/nlu (written blind, never trained on) and the leak
check every runner does first: a held-out message that is also a training
example (compared in lowercase without accents or punctuation, so "mañana"
and "manana" are one message) fails the run."""
import re
import unicodedata
from pathlib import Path
from typing import Dict, Iterator, List

import yaml

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "tests" / "nlu"
# Later writers' sets, English and Spanish in one file each: check_heldout.py
# scores the English halves, check_heldout_spanish.py the Spanish ones.
LATER_WRITERS = {"eighth writer": "heldout_eighth_writer.yml",
                 "ninth writer": "heldout_ninth_writer.yml",
                 "tenth writer": "heldout_tenth_writer.yml",
                 "eleventh writer": "heldout_eleventh_writer.yml"}


def normalised(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9 ]", "", text).split())


def load(name: str) -> dict:
    return yaml.safe_load((HELDOUT / name).read_text(encoding="utf-8"))


def later_writers(language: str) -> List[dict]:
    """The later writers' questions in `language`, each with its writer as `kind`."""
    return [dict(q, kind=kind) for kind, name in LATER_WRITERS.items()
            for q in load(name)["questions"] if q["language"] == language]


def heldout_texts() -> Iterator[str]:
    """Every visitor message of every held-out set."""
    for path in sorted(HELDOUT.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in (data.get("questions") or []) + (data.get("requests") or []):
            yield item["text"]
        for conversation in data.get("conversations") or []:
            for turn in conversation["turns"]:
                yield turn["text"]


def training_texts() -> Dict[str, str]:
    """normalised example -> its file, for every intent example under data/ (any language)."""
    examples: Dict[str, str] = {}
    for path in sorted((ROOT / "data").rglob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in (i for i in data.get("nlu") or [] if "intent" in i):  # not lookup tables
            for line in (item.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    examples[normalised(line.strip()[2:])] = str(path.relative_to(ROOT))
    return examples


def leaks() -> List[str]:
    """Held-out messages that are also training examples."""
    trained = training_texts()
    return sorted({f"{text!r} (in {trained[normalised(text)]})" for text in heldout_texts()
                   if normalised(text) in trained})


def fail_on_leaks() -> bool:
    """Prints the leaks; True when there are any."""
    found = leaks()
    if found:
        print("Held-out messages that are also training examples (remove them from data/):")
        print("\n".join(f"  {leak}" for leak in found))
    return bool(found)
