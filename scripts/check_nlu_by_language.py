"""Cross-validated intent F1 for each language; fails when either is below a threshold.

Reads the per-example predictions that `make nlu-report` leaves beside the
report (intent_successes.json, intent_errors.json: every example once, scored
by a model that did not train on it) and splits them by language: an example
from data/nlu/es/ is Spanish, and so is any other example
components/language.py reads as Spanish (the Spanish crisis examples live
with the crisis data); the rest is English. The same top-intent scoring as
Rasa's report (check_nlu_report.py gates the overall figure).

    python scripts/check_nlu_by_language.py reports/nlu 0.90
"""
import json
import sys
from collections import defaultdict
from pathlib import Path

import yaml
from sklearn.metrics import f1_score

from nlu_examples import ROOT

sys.path.insert(0, str(ROOT))
from components.language import language_of  # noqa: E402

SPANISH_DATA = ROOT / "data" / "nlu" / "es"


def spanish_examples() -> set:
    texts = set()
    for path in SPANISH_DATA.rglob("*.yml"):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            for line in (item.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    texts.add(line.strip()[2:])
    return texts


def by_language(report_dir: Path) -> dict:
    rows = [row for name in ("intent_successes.json", "intent_errors.json")
            for row in json.loads((report_dir / name).read_text(encoding="utf-8"))]
    spanish = spanish_examples()
    split = defaultdict(lambda: ([], []))
    for row in rows:
        language = "es" if row["text"] in spanish or language_of(row["text"]) == "es" else "en"
        split[language][0].append(row["intent"])
        split[language][1].append(row["intent_prediction"]["name"])
    return {language: {"f1": f1_score(gold, predicted, average="weighted", zero_division=0),
                       "accuracy": sum(g == p for g, p in zip(gold, predicted)) / len(gold),
                       "examples": len(gold)}
            for language, (gold, predicted) in sorted(split.items())}


def main(report_dir: str, threshold: float) -> int:
    scores = by_language(Path(report_dir))
    (Path(report_dir) / "f1_by_language.json").write_text(json.dumps(scores, indent=2))
    for language, score in scores.items():
        print(f"NLU cross-validation, {language}: weighted intent F1 {score['f1']:.3f} "
              f"on {score['examples']} examples (threshold {threshold:.2f})")
    return 0 if set(scores) == {"en", "es"} and all(s["f1"] >= threshold for s in scores.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], float(sys.argv[2])))
