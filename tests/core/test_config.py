"""Rasa's own files say what the README promises."""
import json
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def load(name):
    return yaml.safe_load((ROOT / name).read_text())


def test_pipeline_uses_spacy_with_the_locally_built_model():
    pipeline = load("config.yml")["pipeline"]
    names = [c["name"] for c in pipeline]
    assert names[:2] == ["SpacyNLP", "SpacyTokenizer"]
    assert names[-2:] == ["FallbackClassifier", "channels.crisis_guard.CrisisGuard"]
    model_dir = ROOT / pipeline[0]["model"]
    meta = json.loads((model_dir / "meta.json").read_text())
    assert meta["lang"] == "en" and "lemmatizer" in meta["pipeline"]


def test_every_custom_component_changes_the_training_fingerprint():
    """`make train` retrains when a component's code changes, not only the data."""
    script = (ROOT / "scripts" / "train_if_changed.sh").read_text()
    inputs = next(line for line in script.splitlines() if line.startswith("inputs=(")).split()
    custom = [c["name"] for c in load("config.yml")["pipeline"] if c["name"].startswith("channels.")]
    assert custom
    for name in custom:
        assert "/".join(name.split(".")[:-1]) + ".py" in inputs, name


def test_dialogue_is_rule_based():
    policies = [p["name"] for p in load("config.yml")["policies"]]
    assert policies == ["RulePolicy"]


def test_endpoints_come_from_the_environment():
    endpoints = load("endpoints.yml")
    assert endpoints["tracker_store"] == {"type": "SQL", "url": "${DATABASE_URL}"}
    assert endpoints["action_endpoint"]["url"] == "${ACTION_ENDPOINT_URL}"


def test_web_channels_are_the_validated_ones():
    credentials = load("credentials.yml")
    assert set(credentials) == {"channels.web.ValidatedRestInput", "channels.web.ValidatedSocketIOInput"}
    assert credentials["channels.web.ValidatedSocketIOInput"]["session_persistence"] is True


def test_the_http_api_is_enabled_only_with_a_token():
    script = (ROOT / "scripts" / "serve_rasa.sh").read_text()
    enable_lines = [line for line in script.splitlines() if "--enable-api" in line]
    assert enable_lines == ['  args+=(--enable-api --auth-token "$RASA_API_TOKEN")']
    assert 'if [ -n "${RASA_API_TOKEN:-}" ]; then' in script


@pytest.mark.parametrize("script", ["serve_rasa.sh", "serve_actions.sh"])
def test_rasa_sends_no_telemetry_or_crash_reports_however_it_is_started(script):
    lines = (ROOT / "scripts" / script).read_text().splitlines()
    exec_line = next(number for number, line in enumerate(lines) if line.startswith("exec "))
    assert "export RASA_TELEMETRY_ENABLED=false" in lines[:exec_line]


def test_every_part_documents_its_environment_variables():
    documented = (ROOT / ".env.example").read_text()
    for variable in ["DATABASE_URL", "RASA_API_TOKEN", "RASA_TURN_SLOTS", "CENTER_PHONE", "CENTER_HOURS",
                     "HANDOFF_WEBHOOK_URL", "HANDOFF_WEBHOOK_SECRET", "SMTP_HOST", "SMTP_PASSWORD"]:
        assert f"{variable}=" in documented
