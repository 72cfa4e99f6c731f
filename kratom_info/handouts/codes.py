"""Short codes that a person can read off paper and type: the alphabet and its rules.

Kept free of models so that the backfill migration generates codes exactly as the service does.
"""

from __future__ import annotations

import secrets

# Digits and lowercase letters without the ones that are easily confused on paper or by ear:
# 0/o, 1/l/i. Codes are stored lowercase and looked up case-insensitively.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
LENGTH = 4  # 31**4 = 923,521 codes: plenty for a site with tens of articles.
MAX_LENGTH = 8
CODE_REGEX = rf"^[{ALPHABET}]{{{LENGTH},{MAX_LENGTH}}}$"


def generate_code(length: int = LENGTH) -> str:
    """A random code; the caller retries on the (rare) collision with an existing one."""
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise_code(typed: str) -> str:
    """The stored form of a code as a person may type it: any case, with stray spaces or dashes."""
    return "".join(typed.split()).replace("-", "").lower()


def is_valid_code(code: str) -> bool:
    return MAX_LENGTH >= len(code) >= LENGTH and all(char in ALPHABET for char in code)
