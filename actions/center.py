"""The center's contact details and opening hours, from center.yml with
environment overrides. Shared by the actions and the Rasa-side safety net."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Tuple
from zoneinfo import ZoneInfo

import yaml

CONFIG_PATH = Path(__file__).resolve().parent.parent / "center.yml"
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
# Day names for the two languages the assistant speaks; the sentences around
# them are responses in domain.yml.
DAY_NAMES = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "es": ["el lunes", "el martes", "el miércoles", "el jueves", "el viernes", "el sábado", "el domingo"],
}
DAY_ABBREVIATIONS = {
    "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    "es": ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"],
}
TODAY = {"en": "today", "es": "hoy"}
TOMORROW = {"en": "tomorrow", "es": "mañana"}
AT = {"en": "at", "es": "a las"}

# (section, key) -> environment variable that overrides it.
ENV_OVERRIDES: Dict[Tuple[str, str], str] = {
    ("center", "name"): "CENTER_NAME",
    ("center", "phone"): "CENTER_PHONE",
    ("center", "address"): "CENTER_ADDRESS",
    ("center", "timezone"): "CENTER_TIMEZONE",
    ("center", "hours"): "CENTER_HOURS",
    ("center", "spanish_staff"): "CENTER_SPANISH_STAFF",
    ("alerts", "webhook_url"): "HANDOFF_WEBHOOK_URL",
    ("alerts", "email_to"): "HANDOFF_ALERT_EMAIL",
    ("alerts", "email_from"): "HANDOFF_ALERT_FROM",
    ("alerts", "smtp_host"): "SMTP_HOST",
    ("alerts", "smtp_port"): "SMTP_PORT",
    ("alerts", "smtp_user"): "SMTP_USER",
    ("alerts", "smtp_starttls"): "SMTP_STARTTLS",
    ("alerts", "console_url"): "CONSOLE_URL",
    ("alerts", "attempts"): "HANDOFF_ALERT_ATTEMPTS",
}


# The center's own questions (center.yml `faq`), each answered in English and
# Spanish; CENTER_FAQ_<KEY> and CENTER_FAQ_<KEY>_ES override them.
FAQ_KEYS = ("insurance", "cost", "ages", "schedule", "referral", "start", "confidentiality",
            "what_to_bring", "family", "location", "telehealth", "languages")
FAQ_LANGUAGES = ("en", "es")
FAQ_MAX_CHARS = 600


def faq_variable(key: str, language: str) -> str:
    return f"CENTER_FAQ_{key.upper()}" + ("" if language == "en" else f"_{language.upper()}")


class ConfigError(ValueError):
    """center.yml or its environment overrides are invalid."""


@dataclass(frozen=True)
class OpeningHours:
    """Weekly opening hours in the center's time zone."""

    by_day: Dict[int, Tuple[time, time]]
    text: str

    @classmethod
    def parse(cls, spec: str) -> "OpeningHours":
        """Parses "Mon-Fri 08:00-20:00; Sat 09:00-13:00"."""
        by_day: Dict[int, Tuple[time, time]] = {}
        for part in filter(None, (p.strip() for p in spec.split(";"))):
            match = re.fullmatch(
                r"(?i)([a-z]{3})(?:\s*-\s*([a-z]{3}))?\s+(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})",
                part,
            )
            if not match:
                raise ConfigError(f"cannot read opening hours {part!r}")
            first, last = match.group(1).lower(), (match.group(2) or match.group(1)).lower()
            if first not in DAYS or last not in DAYS:
                raise ConfigError(f"unknown day in opening hours {part!r}")
            opens = time(int(match.group(3)), int(match.group(4)))
            closes = time(int(match.group(5)), int(match.group(6)))
            if closes <= opens:
                raise ConfigError(f"closing time before opening time in {part!r}")
            for day in range(DAYS.index(first), DAYS.index(last) + 1):
                by_day[day] = (opens, closes)
        if not by_day:
            raise ConfigError("no opening hours configured")
        return cls(by_day=by_day, text=spec)

    def is_open(self, moment: datetime) -> bool:
        hours = self.by_day.get(moment.weekday())
        return bool(hours) and hours[0] <= moment.time() < hours[1]

    def next_opening(self, moment: datetime) -> datetime:
        """The next time the center opens after `moment` (same tz)."""
        for offset in range(0, 8):
            day = (moment + timedelta(days=offset)).date()
            hours = self.by_day.get(day.weekday())
            if not hours:
                continue
            opening = datetime.combine(day, hours[0], tzinfo=moment.tzinfo)
            if opening > moment:
                return opening
        raise ConfigError("opening hours never open")  # unreachable when parsed


def _clock(t: time) -> str:
    hour = t.hour % 12 or 12
    suffix = "am" if t.hour < 12 else "pm"
    return f"{hour}:{t.minute:02d} {suffix}" if t.minute else f"{hour} {suffix}"


@dataclass(frozen=True)
class Center:
    name: str
    phone: str
    address: str
    timezone: ZoneInfo
    hours: OpeningHours
    alerts: Mapping[str, object] = field(default_factory=dict)
    # Whether a Spanish-speaking specialist can call back (center.yml).
    spanish_staff: bool = False
    # key -> language -> the center's answer ("" when not filled in).
    faq: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def faq_answer(self, key: str, language: str) -> str:
        """The configured answer, or "" when the center has not given one."""
        return self.faq.get(key, {}).get(language, "")

    @property
    def phone_display(self) -> str:
        digits = re.sub(r"\D", "", self.phone)
        if len(digits) == 11 and digits.startswith("1"):
            return f"({digits[1:4]}) {digits[4:7]}-{digits[7:]}"
        return self.phone

    @property
    def phone_href(self) -> str:
        return "tel:" + re.sub(r"[^\d+]", "", self.phone)

    def tz_abbreviation(self, moment: Optional[datetime] = None) -> str:
        return (moment or datetime.now(self.timezone)).astimezone(self.timezone).tzname() or ""

    def hours_text(self, language: str = "en") -> str:
        """e.g. "Mon-Fri 8 am-8 pm, Sat 9 am-1 pm EST" ("lun-vie 8 am-8 pm, ..." in Spanish)."""
        names = DAY_ABBREVIATIONS.get(language, DAY_ABBREVIATIONS["en"])
        groups: List[Tuple[int, int, Tuple[time, time]]] = []
        for day in sorted(self.hours.by_day):
            span = self.hours.by_day[day]
            if groups and groups[-1][1] == day - 1 and groups[-1][2] == span:
                groups[-1] = (groups[-1][0], day, span)
            else:
                groups.append((day, day, span))
        parts = []
        for first, last, (opens, closes) in groups:
            days = names[first] if first == last else f"{names[first]}-{names[last]}"
            parts.append(f"{days} {_clock(opens)}-{_clock(closes)}")
        return ", ".join(parts) + f" {self.tz_abbreviation()}"

    def _local(self, now: Optional[datetime]) -> datetime:
        return (now or datetime.now(self.timezone)).astimezone(self.timezone)

    def is_open(self, now: Optional[datetime] = None) -> bool:
        return self.hours.is_open(self._local(now))

    def next_opening_text(self, now: Optional[datetime] = None, language: str = "en") -> str:
        """e.g. "tomorrow at 9 am EST" ("mañana a las 9 am EST")."""
        language = language if language in DAY_NAMES else "en"
        local = self._local(now)
        opening = self.hours.next_opening(local)
        if opening.date() == local.date():
            day = TODAY[language]
        elif opening.date() == (local + timedelta(days=1)).date():
            day = TOMORROW[language]
        else:
            day = DAY_NAMES[language][opening.weekday()]
        return f"{day} {AT[language]} {_clock(opening.time())} {self.tz_abbreviation(opening)}"

    def closing_time_text(self, now: Optional[datetime] = None) -> Optional[str]:
        """Today's closing time, e.g. "8 pm EST", or None when closed now."""
        local = self._local(now)
        if not self.hours.is_open(local):
            return None
        return f"{_clock(self.hours.by_day[local.weekday()][1])} {self.tz_abbreviation(local)}"

    def contact_card(self, language: str = "en") -> Dict[str, str]:
        """The custom payload the web widget renders as a tap-to-call card."""
        return {
            "type": "contact_card",
            "center": self.name,
            "phone": self.phone,
            "phone_display": self.phone_display,
            "href": self.phone_href,
            "hours": self.hours_text(language),
            "language": language,
            "address": self.address,
        }


def load_settings(path: Path = CONFIG_PATH, environ: Mapping[str, str] = os.environ) -> Dict[str, Dict[str, object]]:
    with open(path, encoding="utf-8") as handle:
        settings = yaml.safe_load(handle) or {}
    for (section, key), variable in ENV_OVERRIDES.items():
        if environ.get(variable, "") != "":
            settings.setdefault(section, {})[key] = environ[variable]
    faq = settings.get("faq") or {}
    for key in FAQ_KEYS:
        for language in FAQ_LANGUAGES:
            value = environ.get(faq_variable(key, language), "")
            if value != "":
                faq.setdefault(key, {})
                faq[key] = {**(faq[key] or {}), language: value}
    settings["faq"] = faq
    return settings


def build_faq(faq: Mapping[str, object]) -> Dict[str, Dict[str, str]]:
    unknown = sorted(set(faq) - set(FAQ_KEYS))
    if unknown:
        raise ConfigError(f"unknown faq entries {unknown}; known: {', '.join(FAQ_KEYS)}")
    answers: Dict[str, Dict[str, str]] = {}
    for key in FAQ_KEYS:
        entry = faq.get(key) or {}
        if not isinstance(entry, Mapping):
            raise ConfigError(f"faq.{key} must have `en` and `es` answers")
        answers[key] = {}
        for language in FAQ_LANGUAGES:
            text = " ".join(str(entry.get(language) or "").split())
            if len(text) > FAQ_MAX_CHARS:
                raise ConfigError(f"faq.{key}.{language} has {len(text)} characters (at most {FAQ_MAX_CHARS})")
            answers[key][language] = text
    return answers


def build_center(settings: Mapping[str, Mapping[str, object]]) -> Center:
    center = settings.get("center", {})
    try:
        timezone = ZoneInfo(str(center.get("timezone", "America/New_York")))
    except Exception as error:  # ZoneInfoNotFoundError or a bad key
        raise ConfigError(f"unknown time zone {center.get('timezone')!r}") from error
    phone = str(center.get("phone", "")).strip()
    if not re.fullmatch(r"\+?[\d\s().-]{7,20}", phone):
        raise ConfigError("CENTER_PHONE must be a phone number, e.g. +15550100199")
    return Center(
        name=str(center.get("name", "")).strip() or "the center",
        phone=phone,
        address=str(center.get("address", "") or "").strip(),
        timezone=timezone,
        hours=OpeningHours.parse(str(center.get("hours", ""))),
        alerts=dict(settings.get("alerts", {})),
        spanish_staff=_flag(center.get("spanish_staff", False), "CENTER_SPANISH_STAFF"),
        faq=build_faq(settings.get("faq") or {}),
    )


def _flag(value: object, variable: str) -> bool:
    text = str(value).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no", ""):
        return False
    raise ConfigError(f"{variable} must be true or false, not {value!r}")


@lru_cache(maxsize=1)
def get_center() -> Center:
    """The configured center, read once per process."""
    return build_center(load_settings())
