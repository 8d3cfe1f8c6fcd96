"""runtime.install(): one list of changes to Rasa's turn, the same in every
way Rasa runs here (`rasa run` and `rasa test` through `python -m runtime`),
and a clear refusal on a Rasa release it was not written for."""
import re
import subprocess

import pytest
import rasa

import runtime
from tests.support.processes import PYTHON, ROOT, start_up_env
from tests.support.stack import MODEL, RasaStack

ACTIVE = re.compile(r"^runtime changes active: (.+)$", re.MULTILINE)


def active_changes(log: str) -> list:
    found = ACTIVE.findall(log)
    assert len(found) == 1, log[-3000:]
    return found[0].split(", ")


def test_install_names_every_change_and_is_idempotent():
    names = runtime.install()
    assert names == runtime.install() == ["rasa_speedups", "turn_gate", "safety_net", "session_notice"]


def test_a_second_install_wraps_nothing_twice():
    from rasa.core.actions.action import RemoteAction

    runtime.install()
    before = RemoteAction.run
    runtime.install()
    assert RemoteAction.run is before
    chain, run = [], RemoteAction.run
    while run is not None and len(chain) < 10:  # each wrapper calls the one it replaced
        chain.append(run)
        run = run.__globals__.get("_rasa_remote_action_run") if run.__module__.startswith("runtime.") else None
    assert len(chain) == 3  # the safety net, the turn gate, Rasa's own


def test_another_rasa_release_is_refused_clearly(monkeypatch):
    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    with pytest.raises(runtime.UnsupportedRasaVersion, match="written for Rasa 3.6.21, but Rasa 3.7.0"):
        runtime.install()


@pytest.mark.stack
def test_rasa_test_runs_the_same_runtime_changes_as_rasa_run(tmp_path):
    stories = tmp_path / "stories.yml"
    stories.write_text('version: "3.1"\nstories:\n- story: a greeting\n  steps:\n'
                       '  - intent: greet\n  - action: utter_greet\n')
    # `make test-stories` runs this command line (tests/core/test_config.py checks the Makefile).
    rasa_test = subprocess.Popen(
        [PYTHON, "-m", "runtime", "test", "core", "--model", str(MODEL), "--stories", str(stories),
         "--out", str(tmp_path / "results"), "--quiet"],
        cwd=ROOT, env=start_up_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        with RasaStack(actions=False) as server:  # started as scripts/serve_rasa.sh starts it
            served = active_changes(server.log("rasa"))
        output, _ = rasa_test.communicate(timeout=600)
    finally:
        rasa_test.kill()
    assert rasa_test.returncode == 0, output[-3000:]
    assert (tmp_path / "results").is_dir()
    assert active_changes(output) == served == runtime.install()
