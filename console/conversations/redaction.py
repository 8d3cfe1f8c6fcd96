"""Redaction of phone numbers, email addresses and names in message text for exports."""
import re
from typing import Iterable

from django.conf import settings

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# 7+ digits with the usual separators: +1 (555) 123-4567, 555.123.4567, 5551234567 ...
PHONE = re.compile(r"(?<![\w])[+(]?\d(?:[\s().-]*\d){6,14}(?![\w])")
# Self-introductions: "my name is Maria", "I'm John Smith", "this is Ann", "call me Jo".
NAME_PHRASE = re.compile(
    r"\b(?P<lead>(?i:my name is|my name's|name is|i am|i'm|im|this is|call me|my (?:son|daughter|"
    r"husband|wife|partner|brother|sister|mother|mom|father|dad|friend)(?: is| named)?)\s+)"
    r"(?P<name>[A-Za-z][A-Za-z'-]+(?:\s+[A-Z][a-z'-]+)?)"
)
NAME_ENTITY_TYPES = {"name", "first_name", "last_name", "person", "PERSON", "PER"}
# Words that follow "I'm"/"this is" but are not names.
NOT_NAMES = {
    "a", "an", "the", "not", "so", "very", "really", "just", "worried", "scared", "afraid", "here", "looking",
    "using", "addicted", "trying", "calling", "asking", "sure", "fine", "ok", "okay", "good", "sorry", "in",
    "on", "at", "for", "about", "with", "from", "going", "feeling", "sick", "clean", "sober", "ready", "done",
    "hurting", "struggling", "thinking", "afraid", "tired", "alone", "new", "still", "also", "too", "urgent",
    "serious", "it", "that", "hard", "bad", "terrible", "hopeless", "desperate", "confused", "lost",
    "nervous", "anxious", "depressed", "overwhelmed", "embarrassed", "ashamed", "interested", "curious",
    "wondering", "having", "getting", "is", "was", "has", "and", "or", "but", "he", "she", "they", "what", "how", "why", "heroin", "my", "your", "his", "her", "their", "our",
}


def _national(digits: str) -> str:
    """A North American number without its country code: 15550100199 and 5550100199 are one number."""
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


def _allowed_number(match: str) -> bool:
    """Public numbers (helplines, the center's own, from settings) are not personal data."""
    digits = _national(re.sub(r"\D", "", match))
    return digits in {_national(re.sub(r"\D", "", number)) for number in settings.REDACTION_ALLOWED_NUMBERS}


def redact(text: str, known_names: Iterable[str] = ()) -> str:
    """Replace contact details and names with placeholders; `known_names` come from
    NLU entities, slots and the hand-off form of the same conversation."""
    if not text:
        return text
    text = EMAIL.sub("[EMAIL]", text)
    text = PHONE.sub(lambda m: m.group(0) if _allowed_number(m.group(0)) else "[PHONE]", text)

    def replace_phrase(match):
        words = match.group("name").split()
        if words[0].lower() in NOT_NAMES:
            return match.group(0)
        kept = [w for w in words[1:] if w.lower() in NOT_NAMES]
        tail = (" " + " ".join(kept)) if kept else ""
        return f"{match.group('lead')}[NAME]{tail}"

    text = NAME_PHRASE.sub(replace_phrase, text)
    for name in sorted({n.strip() for n in known_names if n and len(n.strip()) > 1}, key=len, reverse=True):
        if name.lower() in {"anonymous"} | NOT_NAMES:
            continue
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", "[NAME]", text, flags=re.IGNORECASE)
    return text
