"""`make bench`: our assistant beside Rasa's starter bot, in one run.

    python -m bench.run            # full: 1, 10, 50 concurrent conversations, 3 rounds
    python -m bench.run --quick    # proves the harness works (CI): 1 and 2, few turns

Writes reports/bench.json and reports/bench.png (see bench/README.md). Not a
timed test: nothing here asserts speed; the targets are evaluated and reported.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Dict, List, Optional

from bench.load import run_load_sync
from bench.servers import peak_rss_mb, wait_for_first_answer
from tests.support.processes import ROOT, VENV_BIN, Process, free_port, start_up_env

RASA = str(VENV_BIN / "rasa")
PYTHON = str(VENV_BIN / "python")
OUR_MODEL = ROOT / "models" / "current.tar.gz"
STARTER_CACHE = ROOT / "build" / "bench" / "starter"

FULL = {"levels": [1, 10, 50], "conversations": {1: 20, 10: 60, 50: 100}, "rounds": 3,
        "inprocess_conversations": 40, "train_repeats": 3}
QUICK = {"levels": [1, 2], "conversations": {1: 3, 2: 4}, "rounds": 1,
         "inprocess_conversations": 6, "train_repeats": 1}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def load_average() -> List[float]:
    return [round(value, 2) for value in os.getloadavg()]


def timed(command: List[str], cwd: Path, env: Dict[str, str], log_path: Path) -> float:
    started = time.perf_counter()
    with open(log_path, "ab") as out:
        subprocess.run(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, check=True)
    return round(time.perf_counter() - started, 2)


def median(values: List[Optional[float]]) -> Optional[float]:
    values = [value for value in values if value is not None]
    return round(statistics.median(values), 2) if values else None


def ratio(ours: Optional[float], theirs: Optional[float]) -> Optional[float]:
    return round(ours / theirs, 3) if ours is not None and theirs else None


# --- training --------------------------------------------------------------------
def starter_model(directory: Path) -> Path:
    models = sorted((directory / "models").glob("*.tar.gz"))
    if not models:
        raise RuntimeError(f"no starter model in {directory / 'models'}")
    return models[-1]


def build_starter(work: Path, quick: bool, logs: Path) -> Dict[str, object]:
    """Rasa's starter bot: `rasa init --no-prompt` (copies the template project and
    trains it with its default config). Quick mode reuses the cache when present."""
    env = start_up_env()
    result: Dict[str, object] = {}
    if quick and list((STARTER_CACHE / "models").glob("*.tar.gz")):
        log(f"starter bot: reusing {STARTER_CACHE.relative_to(ROOT)}")
        directory = STARTER_CACHE
        result["full_training_s"] = None
        result["full_training_note"] = "quick mode reused the cached starter model"
    else:
        directory = work / "starter"
        directory.mkdir()
        log("starter bot: rasa init --no-prompt (trains with its default config)")
        result["full_training_s"] = timed([RASA, "init", "--no-prompt", "--init-dir", str(directory)],
                                          work, env, logs / "starter-init.log")
        result["full_training_note"] = "wall time of `rasa init --no-prompt` (template copy + training)"
        STARTER_CACHE.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(STARTER_CACHE, ignore_errors=True)
        shutil.copytree(directory, STARTER_CACHE)
    log("starter bot: rasa train with nothing changed")
    result["unchanged_training_s"] = timed([RASA, "train"], directory, env, logs / "starter-retrain.log")
    result["unchanged_training_note"] = "`rasa train` in the starter project, nothing changed"
    result["directory"] = directory
    return result


def time_our_training(work: Path, config: dict, quick: bool, logs: Path) -> Dict[str, object]:
    env = start_up_env()
    result: Dict[str, object] = {}
    runs = [timed(["make", "--no-print-directory", "train"], ROOT, env, logs / "make-train.log")
            for _ in range(config["train_repeats"])]
    result["unchanged_training_s"] = median(runs)
    result["unchanged_training_runs_s"] = runs
    result["unchanged_training_note"] = "`make train` with nothing changed"
    if quick:
        result["full_training_s"] = None
        result["full_training_note"] = "skipped in quick mode"
    else:
        log("ours: full training (rasa train --force into a temporary folder)")
        result["full_training_s"] = timed(
            [RASA, "train", "--force", "--fixed-model-name", "bench", "--out", str(work / "our-models"), "--quiet"],
            ROOT, env, logs / "our-train.log")
        result["full_training_note"] = "`rasa train --force` of config, domain and data"
    return result


# --- servers --------------------------------------------------------------------
class Bot:
    def __init__(self, name: str) -> None:
        self.name = name
        self.processes: List[Process] = []
        self.server: Optional[Process] = None
        self.webhook = ""
        self.startup_s: Optional[float] = None

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()


def serving(bot: Bot, server: Process, port: int, env: Dict[str, str]) -> Bot:
    """The bot once its Rasa server answered on the REST channel, with its start-up time."""
    bot.server, bot.env = server, env
    bot.processes.append(server)
    bot.webhook = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
    bot.startup_s = round(wait_for_first_answer(server, bot.webhook), 2)
    return bot


def start_ours(work: Path, logs: Path) -> Bot:
    bot = Bot("ours")
    rasa_port, actions_port = free_port(), free_port()
    env = start_up_env(
        DATABASE_URL=f"sqlite:///{work / 'ours.db'}",
        ACTION_ENDPOINT_URL=f"http://127.0.0.1:{actions_port}/webhook",
        RASA_PORT=str(rasa_port), RASA_HOST="127.0.0.1",
        RASA_CREDENTIALS=str(work / "ours-credentials.yml"),
    )
    actions = Process("our action server", ["env", f"ACTIONS_PORT={actions_port}", str(ROOT / "scripts" / "serve_actions.sh")],
                      ROOT, env, logs / "ours-actions.log")
    bot.processes.append(actions)
    actions.wait_until_ready(f"http://127.0.0.1:{actions_port}/health", timeout_s=300)
    bot.actions = actions
    return serving(bot, Process("our Rasa server", [str(ROOT / "scripts" / "serve_rasa.sh")], ROOT, env,
                                logs / "ours-rasa.log"), rasa_port, env)


def start_starter(directory: Path, logs: Path) -> Bot:
    bot = Bot("starter")
    port = free_port()
    env = start_up_env()
    bot.actions = None
    return serving(bot, Process("starter Rasa server", [
        RASA, "run", "--model", str(starter_model(directory)), "--port", str(port), "--interface", "127.0.0.1",
        "--credentials", "credentials.yml", "--endpoints", "endpoints.yml"], directory, env, logs / "starter-rasa.log"),
        port, env)


def in_process(bot: Bot, model: Path, work: Path, conversations: int, logs: Path) -> Dict[str, object]:
    command = [PYTHON, "-m", "bench.inprocess", "--model", str(model), "--conversations", str(conversations)]
    env = dict(bot.env)
    if bot.name == "ours":
        # Same endpoints as our server (SQL tracker store, action server), own database file.
        env["DATABASE_URL"] = f"sqlite:///{work / 'ours-inprocess.db'}"
        command += ["--endpoints", str(ROOT / "endpoints.yml"), "--runtime"]
    with open(logs / f"{bot.name}-inprocess.log", "ab") as out:
        completed = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=out, check=True)
    for line in completed.stdout.decode().splitlines():
        if line.startswith("BENCH_RESULT "):
            return json.loads(line[len("BENCH_RESULT "):])
    raise RuntimeError(f"in-process run of {bot.name} printed no result")


# --- the run --------------------------------------------------------------------
def summarise_level(rounds: List[dict]) -> dict:
    keys = ["throughput_msgs_per_s", "p50_ms", "p95_ms", "p99_ms", "mean_ms"]
    summary = {key: median([r[key] for r in rounds]) for key in keys}
    summary["turns"] = sum(r["turns"] for r in rounds)
    summary["errors"] = sum(r["errors"] for r in rounds)
    summary["empty_replies"] = sum(r["empty_replies"] for r in rounds)
    summary["rounds"] = rounds
    return summary


def evaluate_targets(report: dict) -> List[dict]:
    ours, starter = report["bots"]["ours"], report["bots"]["starter"]
    targets = []

    def target(name: str, measured, limit, met) -> None:
        targets.append({"target": name, "measured": measured, "limit": limit,
                        "met": None if measured is None else bool(met)})

    at10 = ours["levels"].get("10"), starter["levels"].get("10")
    if at10[0] and at10[1]:
        speedup = ratio(at10[0]["throughput_msgs_per_s"], at10[1]["throughput_msgs_per_s"])
        target("throughput at 10 conversations >= 3x the starter bot", speedup, 3.0, speedup and speedup >= 3)
        target("p95 at 10 conversations < 100 ms", at10[0]["p95_ms"], 100, at10[0]["p95_ms"] < 100)
        share = ratio(at10[0]["throughput_msgs_per_s"], ours["in_process"]["limit_msgs_per_s"])
        target("throughput at 10 conversations >= 60% of the in-process limit", share, 0.6, share and share >= 0.6)
    single = ours["levels"].get("1")
    if single:
        target("single conversation p50 < 20 ms", single["p50_ms"], 20, single["p50_ms"] < 20)
    rss = ours["server_peak_rss_mb"], starter["server_peak_rss_mb"]
    target("server peak RSS below the starter bot's", rss[0], rss[1], rss[0] < rss[1])
    unchanged = ours["training"]["unchanged_training_s"]
    target("`make train` with nothing changed < 10 s", unchanged, 10, unchanged < 10)
    return targets


def run(quick: bool, out: Path, plot: Path) -> dict:
    config = QUICK if quick else FULL
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    logs = ROOT / "reports" / "bench-logs"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    report: dict = {
        "mode": "quick" if quick else "full",
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "load_average_at_start": load_average()},
        "levels": config["levels"], "rounds": config["rounds"],
        "bots": {"ours": {}, "starter": {}},
    }
    bots: Dict[str, Bot] = {}
    try:
        log("timing `make train` (nothing changed)" + ("" if quick else " and full trainings"))
        report["bots"]["ours"]["training"] = time_our_training(work, config, quick, logs)
        starter = build_starter(work, quick, logs)
        starter_dir = starter.pop("directory")
        report["bots"]["starter"]["training"] = starter

        log("starting both servers")
        bots["ours"] = start_ours(work, logs)
        bots["starter"] = start_starter(starter_dir, logs)
        for name, bot in bots.items():
            report["bots"][name]["startup_s"] = bot.startup_s
            run_load_sync(bot.webhook, 2, 6, f"{name}-warmup")  # first-call costs out of the way

        results: Dict[str, Dict[int, List[dict]]] = {name: {level: [] for level in config["levels"]} for name in bots}
        for round_number in range(config["rounds"]):
            for level in config["levels"]:
                for name, bot in bots.items():  # alternating, so both bots see the same background load
                    outcome = run_load_sync(bot.webhook, level, config["conversations"][level],
                                            f"{name}-r{round_number}-c{level}-{time.time_ns()}").summary()
                    log(f"round {round_number + 1} {name:7s} c={level:<3d} {outcome['throughput_msgs_per_s']} msg/s "
                        f"p50 {outcome['p50_ms']} p95 {outcome['p95_ms']} ms, errors {outcome['errors']}")
                    results[name][level].append(outcome)

        for name, bot in bots.items():
            entry = report["bots"][name]
            entry["levels"] = {str(level): summarise_level(runs) for level, runs in results[name].items()}
            entry["server_peak_rss_mb"] = peak_rss_mb(bot.server.pid)
            if bot.actions is not None:
                entry["action_server_peak_rss_mb"] = peak_rss_mb(bot.actions.pid)

        models = {"ours": OUR_MODEL, "starter": starter_model(starter_dir)}
        for name, bot in bots.items():
            runs = []
            for _ in range(config["rounds"]):
                runs.append(in_process(bot, models[name], work, config["inprocess_conversations"], logs))
            entry = report["bots"][name]
            entry["in_process"] = {
                "ms_per_turn_mean": median([r["ms_per_turn_mean"] for r in runs]),
                "ms_per_turn_p50": median([r["ms_per_turn_p50"] for r in runs]),
                "limit_msgs_per_s": median([r["limit_msgs_per_s"] for r in runs]),
                "rounds": runs,
            }
            log(f"in-process {name}: {entry['in_process']['ms_per_turn_mean']} ms/turn, "
                f"{entry['in_process']['limit_msgs_per_s']} msg/s")
    finally:
        for bot in bots.values():
            bot.stop()
        shutil.rmtree(work, ignore_errors=True)

    ours, starter = report["bots"]["ours"], report["bots"]["starter"]
    report["ratios"] = {
        "ours_to_starter": {
            str(level): {
                "throughput": ratio(ours["levels"][str(level)]["throughput_msgs_per_s"],
                                    starter["levels"][str(level)]["throughput_msgs_per_s"]),
                "p50": ratio(ours["levels"][str(level)]["p50_ms"], starter["levels"][str(level)]["p50_ms"]),
                "p95": ratio(ours["levels"][str(level)]["p95_ms"], starter["levels"][str(level)]["p95_ms"]),
            } for level in config["levels"]
        },
        "ours_to_in_process": {
            str(level): {"throughput": ratio(ours["levels"][str(level)]["throughput_msgs_per_s"],
                                             ours["in_process"]["limit_msgs_per_s"])}
            for level in config["levels"]
        },
        "server_rss_ours_to_starter": ratio(ours["server_peak_rss_mb"], starter["server_peak_rss_mb"]),
        "startup_ours_to_starter": ratio(ours["startup_s"], starter["startup_s"]),
    }
    report["targets"] = evaluate_targets(report) if not quick else []
    report["machine"]["load_average_at_end"] = load_average()
    out.write_text(json.dumps(report, indent=2) + "\n")
    draw(report, plot)
    log(f"wrote {out.relative_to(ROOT)} and {plot.relative_to(ROOT)}")
    return report


def draw(report: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    levels = report["levels"]
    figure, (latency, throughput) = plt.subplots(1, 2, figsize=(11, 4.5))
    styles = {"ours": ("tab:blue", "our assistant"), "starter": ("tab:orange", "Rasa starter bot")}
    for name, (colour, label) in styles.items():
        bot = report["bots"][name]
        for key, line in (("p50_ms", "-"), ("p95_ms", "--"), ("p99_ms", ":")):
            latency.plot(levels, [bot["levels"][str(level)][key] for level in levels], line, marker="o",
                         color=colour, label=f"{label} {key[:3]}")
        throughput.plot(levels, [bot["levels"][str(level)]["throughput_msgs_per_s"] for level in levels], "-o",
                        color=colour, label=label)
        throughput.axhline(bot["in_process"]["limit_msgs_per_s"], color=colour, linestyle=":",
                           label=f"{label}: in-process limit")
    latency.set(xscale="log", yscale="log", xlabel="concurrent conversations", ylabel="latency per turn (ms)",
                title="Latency (median of rounds)")
    throughput.set(xscale="log", xlabel="concurrent conversations", ylabel="messages / s",
                   title="Throughput (REST channel)")
    for axis in (latency, throughput):
        axis.set_xticks(levels)
        axis.set_xticklabels([str(level) for level in levels])
        axis.grid(True, which="both", alpha=0.3)
        axis.legend(fontsize=7)
    figure.suptitle(f"make bench ({report['mode']}), {report['machine']['cpus']} CPUs, "
                    f"load {report['machine']['load_average_at_start']}", fontsize=9)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small run that proves the harness works")
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "bench.json")
    parser.add_argument("--plot", type=Path, default=ROOT / "reports" / "bench.png")
    args = parser.parse_args()
    run(args.quick, args.out.resolve(), args.plot.resolve())


if __name__ == "__main__":
    sys.exit(main())
