"""Hand-off references: short and random, so they reveal nothing (consecutive
numbers would tell anyone how many people asked for help).

8 characters from an alphabet without look-alikes (no 0/O, 1/I/L, U), read out
easily on the phone: 30**8, about 6.6e11 references; the column is unique, and
a clash (vanishingly rare) is retried by the store with a fresh reference.
"""
from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # 30 symbols, no 0 O 1 I L U
LENGTH = 8
FORM = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")


def new_reference() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def is_reference(text: str) -> bool:
    return bool(FORM.match(text or ""))
