"""The one table of languages: what the pipeline reads and writes, and what it only recognises.

- `LANGUAGES`: the languages the pipeline translates between (en, ru, kk), each with its script;
- `VARIANTS`: output variants, a target written another way than its language's own script
  (`kk-Latn`: Kazakh in Latin script, transliterated from the Cyrillic translation);
- `NEIGHBOURS`: languages language identification must tell apart from ours (Ukrainian,
  Mongolian, Turkish...): recognised, reported as `other`, never translated;
- `OTHER`, `UNKNOWN`: the labels of a text in none of our languages, and of a text without words.

Every part that needs a language list (config validation, the CLI's --to/--from, detection, the
translate stage, QA, glossaries) takes it from here. No imports from the package: this is the
bottom layer.

    >>> base_language("kk-Latn"), base_language("ru"), is_target("kk-Latn"), is_target("uk")
    ('kk', 'ru', True, False)
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1 ("kk")
    name: str  # English name ("Kazakh")
    script: str  # ISO 15924 script it is written in ("Cyrl")
    lingua: str  # the lingua-language-detector enum name ("KAZAKH")


@dataclass(frozen=True)
class Variant:
    """An output variant: `base`'s translation written in `script` (a target, never a source)."""

    code: str  # BCP 47 ("kk-Latn")
    base: str  # the language whose translation it is made from ("kk")
    script: str  # "Latn"
    description: str


UNKNOWN = "unknown"  # no linguistic evidence (numbers, a URL): inherits the document language
OTHER = "other"  # a language outside the configured ones (Kyrgyz, Uzbek, Ukrainian...)

#: the languages the pipeline translates between, in their usual order
LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (
    Language("en", "English", "Latn", "ENGLISH"),
    Language("ru", "Russian", "Cyrl", "RUSSIAN"),
    Language("kk", "Kazakh", "Cyrl", "KAZAKH"),
)}

#: output variants (targets only)
VARIANTS: dict[str, Variant] = {v.code: v for v in (
    Variant("kk-Latn", "kk", "Latn", "Kazakh in Latin script, transliterated from the Cyrillic translation"),
)}

#: languages identification must tell apart from ours (lingua scores them as distractors);
#: the first twelve are the default distractors, the rest are known to the lingua name table
NEIGHBOURS: dict[str, Language] = {lang.code: lang for lang in (
    Language("uk", "Ukrainian", "Cyrl", "UKRAINIAN"),
    Language("be", "Belarusian", "Cyrl", "BELARUSIAN"),
    Language("bg", "Bulgarian", "Cyrl", "BULGARIAN"),
    Language("mk", "Macedonian", "Cyrl", "MACEDONIAN"),
    Language("sr", "Serbian", "Cyrl", "SERBIAN"),
    Language("mn", "Mongolian", "Cyrl", "MONGOLIAN"),
    Language("tr", "Turkish", "Latn", "TURKISH"),
    Language("az", "Azerbaijani", "Latn", "AZERBAIJANI"),
    Language("de", "German", "Latn", "GERMAN"),
    Language("fr", "French", "Latn", "FRENCH"),
    Language("es", "Spanish", "Latn", "SPANISH"),
    Language("hr", "Croatian", "Latn", "CROATIAN"),
    Language("bs", "Bosnian", "Latn", "BOSNIAN"),
    Language("sl", "Slovene", "Latn", "SLOVENE"),
    Language("id", "Indonesian", "Latn", "INDONESIAN"),
)}
DEFAULT_DISTRACTORS: tuple[str, ...] = tuple(NEIGHBOURS)[:12]

#: the codes, for validation and defaults
SUPPORTED: tuple[str, ...] = tuple(LANGUAGES)
TARGETS: tuple[str, ...] = SUPPORTED + tuple(VARIANTS)
#: lingua enum names of every language known here (ours and the neighbours)
LINGUA_NAMES: dict[str, str] = {c: lang.lingua for c, lang in {**LANGUAGES, **NEIGHBOURS}.items()}


def base_language(target: str) -> str:
    """The language whose translation a target is: "kk-Latn" -> "kk"; a language -> itself."""
    variant = VARIANTS.get(target)
    return variant.base if variant else target


def is_target(code: str) -> bool:
    """A language or an output variant the pipeline can write."""
    return code in LANGUAGES or code in VARIANTS


def unsupported(codes, targets: bool = False) -> list[str]:
    """The codes of `codes` that are not languages (or, with `targets`, not output variants either)."""
    allowed = TARGETS if targets else SUPPORTED
    return [c for c in codes if c not in allowed]


__all__ = ["Language", "Variant", "LANGUAGES", "VARIANTS", "NEIGHBOURS", "DEFAULT_DISTRACTORS", "SUPPORTED",
           "TARGETS", "LINGUA_NAMES", "OTHER", "UNKNOWN", "base_language", "is_target", "unsupported"]
