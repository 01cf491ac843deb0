"""Scoring one extractor's metadata against the truth: per field right, wrong, missing.

A field is scored only on pages labelled for it. *right*: the value matches; *wrong*:
a value that does not; *missing*: no value. Accuracy is right / labelled pages,
precision right / (right + wrong): how far a researcher may trust a value that is there.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["Tally", "normalise", "verdict"]

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."})
_WS = re.compile(r"\s+")


def _text_key(value: str) -> str:
    value = unicodedata.normalize("NFKC", value).translate(_QUOTES)
    return _WS.sub(" ", value).strip().casefold()


def _name_key(name: str) -> str:
    # "The Associated Press" and "Associated Press" are one byline; case, spacing and the
    # dot after an initial ("Trevor J. Mitchell") vary
    key = _WS.sub(" ", _text_key(name).replace(".", " ")).strip(" ,")
    return key[4:] if key.startswith("the ") else key


def normalise(field_name: str, value: Any) -> Any:
    """The comparable form of a field's value, or None when the extractor gave none."""
    if value is None or value == "" or value == []:
        return None
    if field_name in ("published", "modified"):
        return str(value)[:10]  # the day, as the page gives it
    if field_name == "authors":
        names = [value] if isinstance(value, str) else list(value)
        return frozenset(_name_key(n) for n in names if _name_key(n))
    if field_name == "language":
        return str(value).split("-")[0].split("_")[0].lower()
    return _text_key(str(value))


def verdict(field_name: str, truth: Any, found: Any) -> str:
    """``"right"``, ``"wrong"`` or ``"missing"``. An empty truth (a page with no byline)
    is right only when nothing was found, and wrong otherwise."""
    expected, got = normalise(field_name, truth), normalise(field_name, found)
    if expected is None:
        return "right" if got is None else "wrong"
    if got is None:
        return "missing"
    return "right" if got == expected else "wrong"


@dataclass
class Tally:
    right: int = 0
    wrong: int = 0
    missing: int = 0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def pages(self) -> int:
        return self.right + self.wrong + self.missing

    @property
    def accuracy(self) -> float:
        return self.right / self.pages if self.pages else 0.0

    @property
    def precision(self) -> float:
        answered = self.right + self.wrong
        return self.right / answered if answered else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"pages": self.pages, "right": self.right, "wrong": self.wrong,
                "missing": self.missing, "accuracy": round(self.accuracy, 4),
                "precision": round(self.precision, 4)}

    @classmethod
    def of(cls, outcomes: Iterable[str]) -> Tally:
        tally = cls()
        for outcome in outcomes:
            tally.add(outcome)
        return tally
