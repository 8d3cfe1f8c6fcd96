"""Reading a visitor's answers: names, US phone numbers, emails, who it is for.

Pure functions, so the rules are easy to test and reuse."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

import phonenumbers

ANONYMOUS_WORDS = re.compile(
    r"^(?:anon|anonymous|no name|none|rather not( say)?|prefer not to say|skip|i'?d rather not|n/?a)$",
    re.IGNORECASE,
)
NAME_PREFIX = re.compile(r"^(?:my name is|my name's|i am|i'm|im|it's|its|call me|this is|name is|name:)\s+", re.IGNORECASE)
NAME = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'’. -]{0,39}$")
NOT_NAMES = {
    "yes", "no", "yeah", "yep", "nope", "ok", "okay", "hi", "hello", "hey", "thanks",
    "thank you", "sure", "what", "why", "help", "me", "myself", "idk",
}
EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
LOOKS_LIKE_CONTACT = re.compile(r"@|\d{3}\D?\d{3}\D?\d{4}")

SELF_WORDS = re.compile(r"\b(?:my ?self|me|mine|i am|i'm|for me|self)\b", re.IGNORECASE)
LOVED_ONE_WORDS = re.compile(
    r"\b(?:loved one|someone else|son|daughter|child|kid|teen|partner|husband|wife|"
    r"boyfriend|girlfriend|fianc[eé]e?|friend|brother|sister|mom|mother|dad|father|"
    r"parent|family|relative|cousin|uncle|aunt|grand(?:son|daughter|child|ma|pa|mother|father)|"
    r"nephew|niece|roommate|spouse|other person|them|him|her)\b",
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
    return answer[:1].upper() + answer[1:]


def read_contact(text: str) -> Optional[Contact]:
    """A plain-syntax email or a valid US phone number (E.164), else None."""
    email = EMAIL.search(text)
    if email:
        return Contact("email", email.group(0).lower())
    for match in phonenumbers.PhoneNumberMatcher(text, "US"):
        number = match.number
        if number.country_code == 1 and phonenumbers.is_valid_number(number):
            return Contact("phone", phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    return None


def contact_problem(text: str) -> str:
    """Why an answer was not accepted as contact details, in plain words."""
    if "@" in text:
        return "That email address doesn't look complete. Please check it, for example name@example.com."
    if re.search(r"\d", text):
        return phone_problem(text)
    return "I need a phone number or an email address so a specialist can reach you."


US_EXAMPLE = "for example (617) 555-0134"


def phone_problem(text: str) -> str:
    """What is actually wrong with a number that is not a valid US phone number:
    "(555) 201-4477" has an area code, but 555 is not one in service (the North
    American Numbering Plan never assigned it), so asking for "the area code"
    would mislead."""
    try:
        number = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException:
        return f"I couldn't read that as a phone number. Please write it with its area code, {US_EXAMPLE}."
    if number.country_code != 1:
        return f"I can only take a US phone number, {US_EXAMPLE}, or you can give an email address instead."
    national = str(number.national_number)
    if len(national) < 7:
        return f"That's too short for a phone number. Please give all 10 digits, {US_EXAMPLE}."
    if len(national) == 7:
        return f"That number seems to be missing its area code. Please give all 10 digits, {US_EXAMPLE}."
    if len(national) < 10:
        return f"That number is missing a digit or two. Please give all 10 digits, {US_EXAMPLE}."
    if len(national) > 10:
        return f"That number has more digits than a US phone number. Please check it, {US_EXAMPLE}."
    area_code, exchange = national[:3], national[3:6]
    if not _area_code_in_use(area_code):
        return (
            f"{area_code} isn't a US area code in use, so I can't take that number. "
            f"Please check the first three digits, {US_EXAMPLE}, or give an email address."
        )
    if exchange[0] in "01":
        return (
            f"In a US number the three digits after the area code can't start with {exchange[0]}. "
            f"Please check the number, {US_EXAMPLE}."
        )
    return f"That doesn't look like a valid US phone number. Please check the digits, {US_EXAMPLE}."


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
