"""scripts/check_nlu_report.py: the gate on Rasa's F1 and the F1 as visitors see it."""
import json
import sys

from tests.core.test_config import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import check_nlu_report  # noqa: E402


def prediction(intent, predicted, confidence):
    return {"text": "x", "intent": intent, "intent_prediction": {"name": predicted, "confidence": confidence}}


def write_report(folder, f1, successes, errors):
    (folder / "intent_report.json").write_text(json.dumps({
        "weighted avg": {"f1-score": f1, "support": 4},
        "greet": {"f1-score": f1, "support": 4},
    }))
    (folder / "intent_successes.json").write_text(json.dumps(successes))
    (folder / "intent_errors.json").write_text(json.dumps(errors))
    return str(folder / "intent_report.json")


def test_confidence_under_the_fallback_threshold_counts_as_the_out_of_scope_reply(tmp_path):
    threshold = check_nlu_report.fallback_threshold()
    successes = [
        prediction("greet", "greet", 0.9),
        prediction("greet", "greet", threshold / 2),  # the visitor got the fallback reply
        prediction("out_of_scope", "out_of_scope", 0.9),
    ]
    errors = [prediction("out_of_scope", "greet", threshold / 2)]  # fallback: right for out of scope
    write_report(tmp_path, 0.5, successes, errors)
    seen = check_nlu_report.visitor_f1(tmp_path, threshold)
    # seen greet, out_of_scope, out_of_scope, out_of_scope; gold greet, greet, out_of_scope, out_of_scope
    assert seen["below_threshold"] == 2 and seen["examples"] == 4
    assert round(seen["f1"], 4) == round((2 / 3 + 0.8) / 2, 4)


def test_the_gate_is_rasas_f1_and_the_visitor_figure_is_saved(tmp_path):
    report = write_report(tmp_path, 0.88, [prediction("greet", "greet", 0.9)], [])
    assert check_nlu_report.main(report, 0.87) == 0
    assert check_nlu_report.main(report, 0.90) == 1
    assert json.loads((tmp_path / "visitor_f1.json").read_text())["f1"] == 1.0


async def test_cross_validation_scores_only_the_held_back_folds(monkeypatch):
    """scripts/cross_validate.py skips Rasa's second pass over each fold's training
    examples (results no report reads) and keeps the held-back fold's call as it is."""
    import cross_validate

    calls = []

    async def rasa_combine_result(*arguments):
        calls.append(arguments)
        return "scored"

    monkeypatch.setattr(cross_validate, "_combine_result", rasa_combine_result)
    metrics = ({}, {}, {})
    assert await cross_validate.held_back_folds_only(*metrics, "processor", "train folds") == metrics
    assert calls == []
    results = ([], [], [])
    assert await cross_validate.held_back_folds_only(*metrics, "processor", "held-back fold", *results) == "scored"
    assert calls == [(*metrics, "processor", "held-back fold", *results)]
