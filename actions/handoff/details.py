"""Reading a visitor's answers: names, US phone numbers, emails, who it is for.

Pure functions, so the rules are easy to test and reuse."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, Optional, Tuple

import phonenumbers

ANONYMOUS_WORDS = re.compile(
    r"^(?:anon|anonymous|no name|none|rather not( say)?|prefer not to say|skip|i'?d rather not|n/?a"
    # Spanish: "anónimo", "sin nombre", "prefiero no decir", "anonimo, no quiero dar mi nombre"
    r"|an[oó]nim[oa](?:[ ,.]+.*)?|sin nombre|prefiero no (?:decir|darlo|dar mi nombre)(?: mi nombre)?"
    r"|no quiero dar(?:lo| mi nombre))$",
    re.IGNORECASE,
)
NAME_PREFIX = re.compile(
    r"^(?:my name is|my name's|i am|i'm|im|it's|its|call me|this is|name is|name:"
    r"|me llamo|mi nombre es|soy|me dicen|habla|ll[aá]menme|es)\s+",
    re.IGNORECASE,
)
NAME = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’. -]{0,39}$")
NOT_NAMES = {
    "yes", "no", "yeah", "yep", "nope", "ok", "okay", "hi", "hello", "hey", "thanks",
    "thank you", "sure", "what", "why", "help", "me", "myself", "idk",
    "si", "sí", "claro", "hola", "gracias", "bueno", "que", "qué", "ayuda", "yo", "para mi", "para mí",
}
EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
LOOKS_LIKE_CONTACT = re.compile(r"@|\d{3}\D?\d{3}\D?\d{4}")

SELF_WORDS = re.compile(
    r"\b(?:my ?self|me|mine|i am|i'm|for me|self|para m[ií]|p(?:ar)?a m[ií]|yo|m[ií] mism[oa])(?!\w)",
    re.IGNORECASE,
)
LOVED_ONE_WORDS = re.compile(
    r"\b(?:loved one|someone else|son|daughter|child|kid|teen|partner|husband|wife|"
    r"boyfriend|girlfriend|fianc[eé]e?|friend|brother|sister|mom|mother|dad|father|"
    r"parent|family|relative|cousin|uncle|aunt|grand(?:son|daughter|child|ma|pa|mother|father)|"
    r"nephew|niece|roommate|spouse|other person|them|him|her|"
    # Spanish, with and without accents
    r"ser querido|otra persona|alguien m[aá]s|hij[oa]s?|niñ[oa]|chamac[oa]|muchach[oa]|chav[oa]|"
    r"espos[oa]|marido|mujer|pareja|novi[oa]|prometid[oa]|amig[oa]|compa|carnal|herman[oa]|"
    r"mam[aá]|madre|pap[aá]|padre|papas|pap[aá]s|familiar|pariente|prim[oa]|t[ií][oa]|sobrin[oa]|niet[oa]|"
    r"abuel[oa]|suegr[oa]|cuñad[oa]|[eé]l|ella)(?!\w)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Contact:
    kind: str  # "phone" or "email"
    value: str  # E.164 phone or lower-cased email


def read_first_name(text: str) -> Optional[str]:
    """A first name, "anonymous", or None when the answer is not a name."""
    answer = NAME_PREFIX.sub("", text.strip()).strip(" .!")
    if ANONYMOUS_WORDS.match(answer):
        return "anonymous"
    if not answer or answer.lower() in NOT_NAMES or not NAME.match(answer):
        return None
    if len(answer.split()) > 3:
        return None
    # "jose luis" -> "Jose Luis"; the rest of each word as written ("McDonald", "Jo-anne").
    return " ".join(word[:1].upper() + word[1:] for word in answer.split())


# Digits written out, in Spanish or English ("seis uno siete ...", "six one seven ...").
DIGIT_WORDS = {
    "cero": "0", "zero": "0", "oh": "0", "uno": "1", "una": "1", "one": "1", "dos": "2", "two": "2",
    "tres": "3", "three": "3", "cuatro": "4", "four": "4", "cinco": "5", "five": "5",
    "seis": "6", "six": "6", "siete": "7", "seven": "7", "ocho": "8", "eight": "8",
    "nueve": "9", "nine": "9",
}
_DIGIT_WORD = re.compile(r"\b(" + "|".join(DIGIT_WORDS) + r")\b", re.IGNORECASE)


def digits_from_words(text: str) -> str:
    """The text with digit words turned into digits and the spaces between them dropped,
    so a number read out word by word becomes one a phone parser can read."""
    replaced = _DIGIT_WORD.sub(lambda m: DIGIT_WORDS[m.group(1).lower()], text)
    return re.sub(r"(?<=\d)[\s,.-]+(?=\d)", "", replaced) if replaced != text else text


def read_contact(text: str) -> Optional[Contact]:
    """A plain-syntax email or a valid US phone number (E.164), else None.
    A number may be written in digits or read out in words."""
    email = EMAIL.search(text)
    if email:
        return Contact("email", email.group(0).lower())
    return _read_phone(text) or _read_phone(digits_from_words(text))


def _read_phone(text: str) -> Optional[Contact]:
    for match in phonenumbers.PhoneNumberMatcher(text, "US"):
        number = match.number
        if number.country_code == 1 and phonenumbers.is_valid_number(number):
            return Contact("phone", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    return None


def contact_problem(text: str) -> Tuple[str, Dict[str, str]]:
    """The response (domain.yml) saying why an answer was not accepted as
    contact details, with the values it names."""
    if "@" in text:
        return "utter_contact_invalid_email", {}
    if re.search(r"\d", digits_from_words(text)):
        return phone_problem(digits_from_words(text))
    return "utter_contact_missing", {}




def phone_problem(text: str) -> Tuple[str, Dict[str, str]]:
    """What is actually wrong with a number that is not a valid US phone number:
    "(555) 201-4477" has an area code, but 555 is not one in service (the North
    American Numbering Plan never assigned it), so asking for "the area code"
    would mislead."""
    try:
        number = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException:
        return "utter_contact_phone_unreadable", {}
    if number.country_code != 1:
        return "utter_contact_phone_not_us", {}
    national = str(number.national_number)
    if len(national) < 7:
        return "utter_contact_phone_too_short", {}
    if len(national) == 7:
        return "utter_contact_phone_no_area_code", {}
    if len(national) < 10:
        return "utter_contact_phone_missing_digits", {}
    if len(national) > 10:
        return "utter_contact_phone_too_many_digits", {}
    area_code, exchange = national[:3], national[3:6]
    if not _area_code_in_use(area_code):
        return "utter_contact_phone_area_code_not_in_use", {"area_code": area_code}
    if exchange[0] in "01":
        return "utter_contact_phone_bad_exchange", {"first_digit": exchange[0]}
    return "utter_contact_invalid_phone", {}


def _area_code_in_use(area_code: str) -> bool:
    # Any ordinary local number under the area code is valid exactly when the area code is in use.
    probe = phonenumbers.parse(f"+1{area_code}2345678")
    return phonenumbers.is_valid_number(probe)


def read_for_whom(text: str) -> Optional[str]:
    """"loved_one", "self", or None when unclear. A loved one wins over "me":
    "it's for my son" mentions both."""
    if LOVED_ONE_WORDS.search(text):
        return "loved_one"
    if SELF_WORDS.search(text):
        return "self"
    return None


def display_contact(kind: str, value: str) -> str:
    if kind == "phone":
        number = phonenumbers.parse(value, "US")
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return value


def looks_like_contact(text: str) -> bool:
    return bool(LOOKS_LIKE_CONTACT.search(text))
