"""The languages of North West London's sources: names, text direction and an offline guess.

A source's language is suggested by ``lingua`` (offline; its models are in the wheel), built once
per process from the languages spoken in North West London only: fewer candidates make it both
faster and more accurate on short notes. A person always confirms or changes the suggestion.
"""

from __future__ import annotations

import functools
from typing import Any

from django.utils.translation import gettext_lazy as _

#: (BCP 47 code, English name, lingua's name or None when lingua cannot detect it). The most
#: spoken languages of North West London after English (Census 2021 main language), in order.
LANGUAGES: tuple[tuple[str, Any, str | None], ...] = (
    ("en", _("English"), "ENGLISH"),
    ("ar", _("Arabic"), "ARABIC"),
    ("bn", _("Bengali"), "BENGALI"),
    ("zh", _("Chinese"), "CHINESE"),
    ("fr", _("French"), "FRENCH"),
    ("gu", _("Gujarati"), "GUJARATI"),
    ("hi", _("Hindi"), "HINDI"),
    ("it", _("Italian"), "ITALIAN"),
    ("fa", _("Persian (Farsi)"), "PERSIAN"),
    ("pl", _("Polish"), "POLISH"),
    ("pt", _("Portuguese"), "PORTUGUESE"),
    ("pa", _("Punjabi"), "PUNJABI"),
    ("ro", _("Romanian"), "ROMANIAN"),
    ("ru", _("Russian"), "RUSSIAN"),
    ("so", _("Somali"), "SOMALI"),
    ("es", _("Spanish"), "SPANISH"),
    ("sq", _("Albanian"), "ALBANIAN"),
    ("ta", _("Tamil"), "TAMIL"),
    ("tl", _("Tagalog"), "TAGALOG"),
    ("tr", _("Turkish"), "TURKISH"),
    ("uk", _("Ukrainian"), "UKRAINIAN"),
    ("ur", _("Urdu"), "URDU"),
    ("yo", _("Yoruba"), "YORUBA"),
    ("lt", _("Lithuanian"), "LITHUANIAN"),
    # Spoken in North West London but not detectable offline: chosen by hand.
    ("am", _("Amharic"), None),
    ("ti", _("Tigrinya"), None),
    ("ps", _("Pashto"), None),
    ("ku", _("Kurdish"), None),
    ("pa-Arab", _("Punjabi (Shahmukhi script)"), None),
)

#: Languages written right to left (by primary subtag, or by an Arabic or Hebrew script subtag).
_RTL = frozenset({"ar", "fa", "ur", "ps", "he", "yi", "sd", "ckb", "dv", "ug"})
_RTL_SCRIPTS = frozenset({"arab", "hebr", "thaa", "syrc", "nkoo"})

_NAMES = {code: label for code, label, _lingua in LANGUAGES}
CHOICES = [(code, label) for code, label, _lingua in LANGUAGES]


def direction(code: str) -> str:
    """``"rtl"`` for a right-to-left language or script, else ``"ltr"``.

    >>> direction("ar"), direction("ur-PK"), direction("pa-Arab"), direction("bn")
    ('rtl', 'rtl', 'rtl', 'ltr')
    """
    parts = code.replace("_", "-").lower().split("-")
    if parts[0] in _RTL:
        return "rtl"
    return "rtl" if any(part in _RTL_SCRIPTS for part in parts[1:]) else "ltr"


def name(code: str) -> str:
    """The language's name for a person (the code itself when it is not listed)."""
    label = _NAMES.get(code)
    return str(label) if label is not None else code


@functools.cache
def _detector() -> Any:
    # Imported here: building the detector loads its models (seconds, tens of MB), so only a
    # process that detects pays for it, and only once.
    from lingua import Language, LanguageDetectorBuilder

    chosen = [getattr(Language, lingua) for _code, _label, lingua in LANGUAGES if lingua]
    return LanguageDetectorBuilder.from_languages(*chosen).build()


def detect(text: str) -> str | None:
    """The likeliest language of ``text`` as a code of :data:`LANGUAGES`, or None if unsure.

    Only the first few thousand characters are read: enough to tell, and fast on long
    transcripts.
    """
    sample = text[:4000]
    if not sample.strip():
        return None
    found = _detector().detect_language_of(sample)
    if found is None:
        return None
    by_lingua = {lingua: code for code, _label, lingua in LANGUAGES if lingua}
    return by_lingua.get(found.name)
