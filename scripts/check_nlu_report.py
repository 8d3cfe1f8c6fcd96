"""Fails when the cross-validated intent F1 (weighted average) is below a threshold."""
import json
import sys


def main(report_path: str, threshold: float) -> int:
    with open(report_path, encoding="utf-8") as handle:
        report = json.load(handle)
    f1 = report["weighted avg"]["f1-score"]
    worst = sorted(
        (scores["f1-score"], intent)
        for intent, scores in report.items()
        if isinstance(scores, dict) and "support" in scores and intent not in ("micro avg", "macro avg", "weighted avg")
    )[:5]
    print(f"NLU cross-validation: weighted intent F1 {f1:.3f} (threshold {threshold:.2f})")
    print("lowest intents: " + ", ".join(f"{name} {score:.2f}" for score, name in worst))
    return 0 if f1 >= threshold else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], float(sys.argv[2])))
