"""`check.publication`: flags what a human must check before a translation is published.

Per segment and target language: numbers that differ between source and translation; URLs,
e-mails and phone numbers that did not survive; empty or implausibly short (or long) output;
text left untranslated; degenerate repetition. Language flags come from the detect stage.
"""
from __future__ import annotations

import re
from collections import Counter

from ..document import Document, Segment
from ..stage import Stage

_NUMBER = re.compile(r"\d+(?:[  .,]\d{3})*(?:[.,]\d+)?")
_ENTITY = re.compile(r"(https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.-]+|\+?\d[\d ()-]{7,}\d)")
_WORD = re.compile(r"\w+")


def numbers(text: str) -> Counter[str]:
    """Numbers with thousands separators removed ("1 200" == "1,200" == "1200"); years and
    percentages included. Decimal commas and points are treated alike ("2,5" == "2.5")."""
    out: Counter[str] = Counter()
    for m in _NUMBER.finditer(text):
        raw = m.group()
        raw = re.sub(r"[  ](?=\d{3}\b)", "", raw)
        raw = re.sub(r"[.,](?=\d{3}\b)", "", raw)
        out[raw.replace(",", ".")] += 1
    return out


class PublicationChecks(Stage):
    def __init__(self, min_ratio: float = 0.3, max_ratio: float = 3.0, min_chars: int = 20):
        self.min_ratio, self.max_ratio, self.min_chars = min_ratio, max_ratio, min_chars

    def process_batch(self, docs: list[Document]) -> list[Document]:
        for doc in docs:
            for seg in doc.segments:
                for lang, out in seg.translations.items():
                    if lang == seg.lang:
                        continue
                    for code, message in self.check(seg, out):
                        if code not in seg.flags:
                            seg.flags.append(code)
                        doc.flag(code, message, segment=seg.id, lang=lang)
        return docs

    def check(self, seg: Segment, out: str) -> list[tuple[str, str]]:
        src = seg.text
        problems = []
        if "untranslated" in seg.flags:
            problems.append(("untranslated", f"not translated (language {seg.lang}): {src[:80]}"))
            return problems
        if not out.strip():
            problems.append(("empty-translation", f"empty translation of: {src[:80]}"))
            return problems
        if len(src) >= self.min_chars:
            ratio = len(out) / len(src)
            if ratio < self.min_ratio:
                problems.append(("low-coverage", f"translation is {ratio:.0%} of the source length; "
                                                  f"part may be missing: {src[:80]}"))
            elif ratio > self.max_ratio:
                problems.append(("overlong", f"translation is {ratio:.1f}x the source length"))
            if out.strip() == src.strip() and len(_WORD.findall(src)) > 3:
                problems.append(("untranslated", f"output equals the source: {src[:80]}"))
        if numbers(src) != numbers(out):
            missing = numbers(src) - numbers(out)
            extra = numbers(out) - numbers(src)
            problems.append(("numbers-mismatch", "numbers differ: "
                             + ", ".join([f"missing {n}" for n in missing] + [f"added {n}" for n in extra])))
        for ent in _ENTITY.findall(src):
            if ent.strip(".,;") not in out:
                problems.append(("entity-missing", f"{ent.strip('.,;')} is not in the translation"))
        words = [w.lower() for w in _WORD.findall(out)]
        for i in range(len(words) - 3):
            if len(set(words[i:i + 4])) == 1:
                problems.append(("repetition", f"repeated word {words[i]!r}"))
                break
        return problems
