"""Rasa's own files say what the README promises."""
import shutil
import subprocess
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
    # The domain gate reads the fallback's decision; the crisis detector has the last word.
    assert names[-3:] == ["FallbackClassifier", "components.domain_gate.DomainGate",
                          "components.crisis_guard.CrisisDetector"]
    model_dir = ROOT / pipeline[0]["model"]
    meta = json.loads((model_dir / "meta.json").read_text())
    assert meta["lang"] == "en" and "lemmatizer" in meta["pipeline"]


def _fingerprint(tree):
    script = tree / "scripts" / "train_if_changed.sh"
    done = subprocess.run(["bash", str(script), "--fingerprint"], capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.mark.parametrize("folder", ["components", "policies"])
def test_a_new_or_changed_component_changes_the_training_fingerprint(tmp_path, folder):
    """`make train` retrains when any file under components/, policies/ or data/
    is added or changed, not only the ones config.yml names today."""
    tree = tmp_path / "tree"
    for name in ("config.yml", "domain.yml", "requirements.lock"):
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tree / name)
    for copied in ("scripts", "components", "policies", "data"):
        shutil.copytree(ROOT / copied, tree / copied, ignore=shutil.ignore_patterns("__pycache__"))
    config = load("config.yml")
    custom = [c["name"] for c in config["pipeline"] + config["policies"] if "." in c["name"]]
    assert custom and all(name.startswith(("components.", "policies.")) for name in custom)
    before = _fingerprint(tree)
    (tree / folder / "a_new_one.py").write_text("# new\n")
    added = _fingerprint(tree)
    assert added != before
    (tree / folder / "__init__.py").write_text("# changed\n")
    assert _fingerprint(tree) not in (before, added)

def test_dialogue_is_rule_based():
    from rasa.core.policies.rule_policy import RulePolicy

    from policies.rule_policy import RulePolicy as OurRulePolicy

    policies = [p["name"] for p in load("config.yml")["policies"]]
    assert policies == ["policies.rule_policy.RulePolicy"]
    assert issubclass(OurRulePolicy, RulePolicy)


def test_endpoints_come_from_the_environment_and_name_our_stores():
    endpoints = load("endpoints.yml")
    assert endpoints["tracker_store"] == {"type": "stores.tracker_store.FastSQLTrackerStore",
                                          "url": "${DATABASE_URL}"}
    assert endpoints["lock_store"] == {"type": "stores.lock_store.GatedInMemoryLockStore"}
    assert endpoints["action_endpoint"]["url"] == "${ACTION_ENDPOINT_URL}"
    cluster = (ROOT / "deploy" / "cluster" / "endpoints.yml.template").read_text()
    assert "type: stores.tracker_store.FastSQLTrackerStore" in cluster
    assert "type: stores.lock_store.GatedRedisLockStore" in cluster


def test_every_way_of_running_rasa_goes_through_the_runtime():
    """The server, `make test-stories`, `make shell`, the test stack and the
    in-process bench all install runtime/ before Rasa loads a model."""
    script = (ROOT / "scripts" / "serve_rasa.sh").read_text()
    assert 'exec .venv/bin/python -m runtime "${args[@]}"' in script
    for target, command in [("test-stories", "-m runtime test core"), ("shell", "-m runtime shell")]:
        dry_run = subprocess.run(["make", "-n", target], cwd=ROOT,
                                 capture_output=True, text=True, check=True).stdout
        assert command in dry_run, (target, dry_run)
    assert '"-m", "runtime", "run"' in (ROOT / "tests" / "support" / "stack.py").read_text()
    assert '"--runtime"' in (ROOT / "bench" / "run.py").read_text()  # bench.inprocess --runtime: install()


def test_web_channels_are_the_validated_ones():
    credentials = load("credentials.yml")
    assert set(credentials) == {"connectors.web.ValidatedRestInput", "connectors.web.ValidatedSocketIOInput"}
    assert credentials["connectors.web.ValidatedSocketIOInput"]["session_persistence"] is True


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
