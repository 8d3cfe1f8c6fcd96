"""The intent examples of data/nlu, for the scripts that measure the understanding."""
from pathlib import Path
from typing import Iterator, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent


def intent_examples() -> Iterator[Tuple[str, str]]:
    """(intent, text) for every example, file by file in name order (data/nlu/es/ too)."""
    for path in sorted((ROOT / "data" / "nlu").rglob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" in item:
                for line in item["examples"].splitlines():
                    if line.strip().startswith("- "):
                        yield item["intent"], line.strip()[2:]
