"""Intent names for corrections: the assistant's domain plus every intent seen in conversations."""
from pathlib import Path
from typing import List

import yaml
from django.conf import settings

from .models import Vocabulary


def _domain_files() -> List[Path]:
    root = Path(settings.REPO_ROOT)
    files = [root / "domain.yml"] if (root / "domain.yml").is_file() else []
    if (root / "domain").is_dir():
        files += sorted((root / "domain").rglob("*.yml"))
    return files


def domain_intents() -> List[str]:
    names = []
    for path in _domain_files():
        try:
            content = yaml.safe_load(path.read_text()) or {}
        except (OSError, yaml.YAMLError):
            continue
        for item in content.get("intents") or []:
            name = next(iter(item)) if isinstance(item, dict) else item
            if isinstance(name, str):
                names.append(name)
    return names


def known_intents() -> List[str]:
    seen = Vocabulary.objects.filter(kind=Vocabulary.INTENT).values_list("name", flat=True)
    return sorted(set(domain_intents()) | set(seen))
