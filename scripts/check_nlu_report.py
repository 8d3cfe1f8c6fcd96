"""Fails when the cross-validated intent F1 (weighted average) is below a threshold.

Rasa's report undoes the FallbackClassifier and scores the top intent. With
`--successes`, the per-example predictions beside the report also give the F1
as a visitor sees it: a confidence under the fallback threshold gets the
"this is what I can help with" reply, which is right only for out_of_scope.
That figure is printed and saved (visitor_f1.json), not gated.
"""
import json
import sys
from pathlib import Path

import yaml
from sklearn.metrics import f1_score

from nlu_examples import ROOT


def fallback_threshold() -> float:
    pipeline = yaml.safe_load((ROOT / "config.yml").read_text())["pipeline"]
    return next(c["threshold"] for c in pipeline if c["name"] == "FallbackClassifier")


def visitor_f1(report_dir: Path, threshold: float):
    """Weighted F1 with predictions under the fallback threshold read as out_of_scope."""
    files = [report_dir / "intent_successes.json", report_dir / "intent_errors.json"]
    if not all(f.exists() for f in files):
        return None
    rows = [row for f in files for row in json.loads(f.read_text())]
    gold = [row["intent"] for row in rows]
    seen = [
        row["intent_prediction"]["name"] if row["intent_prediction"]["confidence"] >= threshold else "out_of_scope"
        for row in rows
    ]
    below = sum(row["intent_prediction"]["confidence"] < threshold for row in rows)
    return {"f1": f1_score(gold, seen, average="weighted"), "below_threshold": below, "examples": len(rows),
            "fallback_threshold": threshold}


def main(report_path: str, threshold: float) -> int:
    report_file = Path(report_path)
    report = json.loads(report_file.read_text(encoding="utf-8"))
    f1 = report["weighted avg"]["f1-score"]
    worst = sorted(
        (scores["f1-score"], intent)
        for intent, scores in report.items()
        if isinstance(scores, dict) and "support" in scores and intent not in ("micro avg", "macro avg", "weighted avg")
    )[:5]
    print(f"NLU cross-validation: weighted intent F1 {f1:.3f} (threshold {threshold:.2f})")
    print("lowest intents: " + ", ".join(f"{name} {score:.2f}" for score, name in worst))
    seen = visitor_f1(report_file.parent, fallback_threshold())
    if seen:
        (report_file.parent / "visitor_f1.json").write_text(json.dumps(seen, indent=2))
        print(f"as visitors see it (confidence under {seen['fallback_threshold']} gets the fallback reply): "
              f"F1 {seen['f1']:.3f}, {seen['below_threshold']} of {seen['examples']} under the threshold")
    return 0 if f1 >= threshold else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], float(sys.argv[2])))
