"""Renders the credentials file Rasa runs with: credentials.yml plus every
messaging channel whose environment variables are all set.

    .venv/bin/python -m connectors.credentials --out var/credentials.yml

Secrets are written as ${VAR} references that Rasa resolves from its own
environment when it loads the file, so the rendered file holds no secret (and
`rasa run` must get the same environment). Prints which channels are on/off,
with the names (never the values) of missing variables.
"""
import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class ChannelSpec:
    name: str
    connector: str  # credentials.yml key: the connector's class path
    required: Dict[str, str]  # credential key -> env var
    optional: Dict[str, str]


CHANNELS: List[ChannelSpec] = [
    ChannelSpec(
        "telegram",
        "connectors.messaging.telegram.TelegramChannel",
        required={
            "access_token": "TELEGRAM_BOT_TOKEN",
            "verify": "TELEGRAM_BOT_USERNAME",
            "secret_token": "TELEGRAM_WEBHOOK_SECRET",
        },
        optional={"webhook_url": "TELEGRAM_WEBHOOK_URL", "api_base": "TELEGRAM_API_BASE"},
    ),
    ChannelSpec(
        "slack",
        "connectors.messaging.slack.SlackChannel",
        required={"slack_token": "SLACK_BOT_TOKEN", "slack_signing_secret": "SLACK_SIGNING_SECRET"},
        optional={"api_base": "SLACK_API_BASE"},
    ),
    ChannelSpec(
        "twilio",
        "connectors.messaging.twilio.TwilioChannel",
        required={
            "account_sid": "TWILIO_ACCOUNT_SID",
            "auth_token": "TWILIO_AUTH_TOKEN",
            "twilio_number": "TWILIO_NUMBER",
        },
        optional={
            "webhook_url": "TWILIO_WEBHOOK_URL",
            "api_base": "TWILIO_API_BASE",
            "max_segments": "TWILIO_SMS_MAX_SEGMENTS",
            "trusted_proxies": "TWILIO_TRUSTED_PROXIES",
        },
    ),
    ChannelSpec(
        "facebook",
        "connectors.messaging.facebook.FacebookChannel",
        required={
            "verify": "FACEBOOK_VERIFY_TOKEN",
            "secret": "FACEBOOK_APP_SECRET",
            "page-access-token": "FACEBOOK_PAGE_ACCESS_TOKEN",
        },
        optional={"graph_api_base": "FACEBOOK_GRAPH_API_BASE"},
    ),
]


def read_env_file(path: Path) -> Dict[str, str]:
    """KEY=value lines of a .env file (the process environment wins over it)."""
    values: Dict[str, str] = {}
    if not path.is_file():
        return values
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.removeprefix("export ").split("=", 1)
        values[key.strip()] = value.strip().strip("'\"")
    return values


def channel_blocks(
    environ: Mapping[str, str],
) -> Tuple[Dict[str, Dict[str, str]], List[str], Dict[str, List[str]]]:
    """-> (credentials blocks of the enabled channels, names on, {name off: missing vars})."""
    blocks: Dict[str, Dict[str, str]] = {}
    enabled: List[str] = []
    missing: Dict[str, List[str]] = {}
    for spec in CHANNELS:
        absent = [var for var in spec.required.values() if not environ.get(var, "").strip()]
        if absent:
            missing[spec.name] = absent
            continue
        settings = {**spec.required, **{k: v for k, v in spec.optional.items() if environ.get(v, "").strip()}}
        blocks[spec.connector] = {key: "${%s}" % var for key, var in settings.items()}
        enabled.append(spec.name)
    return blocks, enabled, missing


def render(base_text: str, environ: Mapping[str, str]) -> Tuple[str, List[str], Dict[str, List[str]]]:
    """-> (text of the effective credentials file, names on, {name off: missing vars})."""
    base = yaml.safe_load(base_text) or {}
    if not isinstance(base, dict):
        raise ValueError("credentials.yml must be a mapping of connector -> settings")
    blocks, enabled, missing = channel_blocks(environ)
    clash = sorted(set(base) & set(blocks))
    if clash:
        raise ValueError(f"credentials.yml already configures {', '.join(clash)}")
    text = base_text.rstrip() + "\n"
    if blocks:
        text += (
            "\n# Added by `python -m connectors.credentials`: channels whose variables are set.\n"
            "# ${VAR} is resolved by Rasa from its environment when it loads this file.\n"
            + yaml.safe_dump(blocks, sort_keys=False, default_flow_style=False)
        )
    return text, enabled, missing


def summary(enabled: List[str], missing: Dict[str, List[str]], environ: Mapping[str, str]) -> str:
    lines = ["Messaging channels:"]
    for spec in CHANNELS:
        if spec.name in enabled:
            note = ""
            if spec.name == "twilio" and not environ.get("TWILIO_WEBHOOK_URL"):
                note = " (TWILIO_WEBHOOK_URL unset: signatures are checked against the URL Rasa sees)"
            lines.append(f"  {spec.name}: on{note}")
        else:
            lines.append(f"  {spec.name}: off (set {', '.join(missing[spec.name])})")
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default=str(ROOT / "credentials.yml"), help="web channels (default: credentials.yml)")
    parser.add_argument("--out", default=str(ROOT / "var" / "credentials.yml"), help="file to write")
    parser.add_argument("--env-file", default=str(ROOT / ".env"), help="read too if present (default: .env)")
    args = parser.parse_args(argv)

    environ = {**read_env_file(Path(args.env_file)), **os.environ}
    try:
        text, enabled, missing = render(Path(args.base).read_text(), environ)
    except (OSError, ValueError, yaml.YAMLError) as error:
        print(f"connectors.credentials: {error}", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(summary(enabled, missing, environ))
    print(f"Wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
