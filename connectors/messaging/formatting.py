"""Turns one turn of Rasa bot messages into replies that fit a messaging channel.

Pure functions only: the connectors decide how a reply is posted, this module
decides what is posted and in which order.
"""
import math
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

from runtime import responses

Fits = Callable[[str], bool]


@dataclass
class Reply:
    """One bot message as a channel sends it."""

    text: str
    buttons: List[Dict[str, Any]] = field(default_factory=list)
    # Crisis text: sent before anything else of the turn and kept in one message.
    urgent: bool = False
    # The conversation's language (runtime/language_nlg.py), for the channel's own lines.
    lang: str = "en"


def contact_card_text(card: Dict[str, Any]) -> str:
    """The hand-off card as plain text; the phone number is what matters."""
    phone = card.get("phone_display") or card.get("phone") or ""
    language = card.get("language") or "en"
    lines = [card.get("center") or "", responses.text("utter_card_call", language, phone=phone) if phone else ""]
    if card.get("hours"):
        lines.append(responses.text("utter_card_hours", language, hours=card["hours"]))
    if card.get("address"):
        lines.append(str(card["address"]))
    return "\n".join(line for line in lines if line)


def plan_turn(messages: List[Dict[str, Any]]) -> List[Reply]:
    """Bot messages of one turn (BotUttered.message() dicts) -> replies in send order.

    The crisis custom payload follows the crisis text of the same turn: the plain
    texts right before it, from the same kind of source (domain responses carry
    `utter_action`; texts of custom actions such as the session-start notice do
    not), are the crisis text. They go out first; the payload itself adds
    nothing that the text does not already say.
    """
    replies: List[Reply] = []
    from_response: List[bool] = []
    for message in messages:
        text = str(message.get("text") or "").strip()
        buttons = list(message.get("buttons") or message.get("quick_replies") or [])
        custom = message.get("custom")
        kind = custom.get("type") if isinstance(custom, dict) else None
        source = bool(message.get("utter_action"))
        lang = message.get("lang") or "en"

        if text:
            replies.append(Reply(text, buttons, lang=lang))
            from_response.append(source)
        elif buttons and replies and not replies[-1].buttons:
            replies[-1].buttons = buttons
        elif buttons:
            replies.append(Reply("", buttons, lang=lang))
            from_response.append(source)

        if kind == "contact_card":
            replies.append(Reply(contact_card_text(custom), lang=lang))
            from_response.append(source)
        elif kind == "crisis":
            for reply, reply_source in zip(reversed(replies), reversed(from_response)):
                if reply.buttons or reply.urgent or reply_source != source:
                    break
                reply.urgent = True

    # sorted() is stable: urgent replies keep their order, and so do the rest.
    return sorted(replies, key=lambda reply: not reply.urgent)


# --- splitting ---------------------------------------------------------------

_PARAGRAPHS = re.compile(r"(\n\s*\n)")
_SENTENCES = re.compile(r"(?:(?<=[.!?…])|(?<=[.!?…][\"')\]”’]))(\s+)")
_WORDS = re.compile(r"(\s+)")
_LEVELS = (_PARAGRAPHS, _SENTENCES, _WORDS)


def split_text(text: str, fits: Fits) -> List[str]:
    """Splits text into as few chunks as `fits` allows.

    Cuts between paragraphs, then between sentences, then between words; a
    single word longer than the limit is the only thing ever cut inside.
    """
    text = text.strip()
    if not text:
        return []
    if fits(text):
        return [text]
    chunks: List[str] = []
    current = ""
    for separator, piece in _pieces(text, fits, 0):
        candidate = f"{current}{separator}{piece}" if current else piece
        if fits(candidate):
            current = candidate
        else:
            if current:
                chunks.append(current.strip())
            current = piece
    if current.strip():
        chunks.append(current.strip())
    return chunks


def _pieces(text: str, fits: Fits, level: int) -> Iterator[Tuple[str, str]]:
    """Yields (separator before it, piece) where every piece fits on its own."""
    parts = _LEVELS[level].split(text)
    separator = ""
    for index, part in enumerate(parts):
        if index % 2:
            separator = part
            continue
        if not part:
            continue
        if fits(part):
            yield separator, part
        elif level + 1 < len(_LEVELS):
            for position, (inner_separator, inner) in enumerate(
                _pieces(part, fits, level + 1)
            ):
                yield (separator if position == 0 else inner_separator), inner
        else:
            for position, inner in enumerate(_hard_cut(part, fits)):
                yield (separator if position == 0 else ""), inner
        separator = ""


def _hard_cut(word: str, fits: Fits) -> Iterator[str]:
    start = 0
    while start < len(word):
        end = start + 1
        while end < len(word) and fits(word[start : end + 1]):
            end += 1
        yield word[start:end]
        start = end


def max_length(limit: int) -> Fits:
    return lambda text: len(text) <= limit


# --- SMS ---------------------------------------------------------------------

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")  # each takes two septets

# Typographic characters that would switch a whole SMS to UCS-2 (70 chars a
# segment instead of 160) although a plain equivalent says the same.
_SMS_PLAIN = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...",
     "\u00a0": " ", "•": "-",
     # Spanish accents GSM-7 lacks (it has é, ñ, ü, ¿, ¡): a Spanish SMS stays
     # GSM-7 (160 characters a segment) instead of UCS-2 (70), and reads fine.
     "á": "a", "í": "i", "ó": "o", "ú": "u", "Á": "A", "Í": "I", "Ó": "O", "Ú": "U"}
)


def sms_plain(text: str) -> str:
    return text.translate(_SMS_PLAIN)


def sms_segments(text: str) -> int:
    """How many SMS segments the text takes (GSM-7 if it can, else UCS-2)."""
    if all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text):
        septets = sum(2 if char in GSM7_EXTENSION else 1 for char in text)
        return 1 if septets <= 160 else math.ceil(septets / 153)
    code_units = len(text.encode("utf-16-le")) // 2
    return 1 if code_units <= 70 else math.ceil(code_units / 67)


def max_sms_segments(segments: int) -> Fits:
    return lambda text: sms_segments(text) <= segments


def numbered_options(buttons: List[Dict[str, Any]], language: str = "en") -> str:
    lines = [f"{number}. {button.get('title', '')}" for number, button in enumerate(buttons, 1)]
    return responses.text("utter_reply_with_a_number", language) + "\n" + "\n".join(lines)


def chosen_payload(text: Optional[str], payloads: List[str]) -> Optional[str]:
    """'2' (or '2.' / ' 2 ') after numbered options -> the second option's payload."""
    match = re.fullmatch(r"\s*(\d{1,2})[.)]?\s*", text or "")
    if not match:
        return None
    number = int(match.group(1))
    return payloads[number - 1] if 1 <= number <= len(payloads) else None
