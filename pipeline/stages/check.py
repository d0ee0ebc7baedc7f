"""`check.publication`: flags what a human must check before a translation is published.

It runs the very checks `ngo-pipeline qa` runs (`pipeline.qa`): numbers compared by value, links
and contacts, names, the language of each sentence, untranslated text, truncation and implausible
length (calibrated per direction), repetition loops, brackets and quotes, the glossary and the
do-not-translate list. Each machine translation of a segment is one pair; all pairs of a batch of
documents are checked at once (the language detector runs once per batch).

    [stages.check]
    factory = "check.publication"
    glossary = "terms.tsv"            # optional; relative to the config's folder
    do_not_translate = "brands.txt"   # optional; a file, or a list of terms
    detect_language = true            # the wrong-language / source-language checks
    skip = []                         # check names to leave out, e.g. ["doubled-word"]
"""
from __future__ import annotations

from ..document import Document, Status
from ..qa.checks import CHECKS
from ..qa.engine import QAEngine
from ..qa.flags import Pair
from ..qa.glossary import GlossaryError
from ..stage import Stage, StageError


class PublicationChecks(Stage):
    requires = frozenset({"segment.translations"})
    assigns = frozenset({"doc.flags"})

    def __init__(self, glossary: str = "", do_not_translate: str | list[str] = "",
                 detect_language: bool = True, skip: list[str] | None = None):
        self.glossary = glossary
        self.do_not_translate = do_not_translate
        self.detect_language = detect_language
        self.skip = list(skip or [])
        self._engine: QAEngine | None = None

    @classmethod
    def check_params(cls, params: dict) -> list[tuple[str, str]]:
        names = {c.name for c in CHECKS}
        return [("skip", f"unknown check {s!r}; checks: {', '.join(sorted(names))}")
                for s in params.get("skip") or [] if s not in names]

    def _load(self) -> None:
        dnt = self.do_not_translate
        try:
            self._engine = QAEngine(
                glossary=self.context.path(self.glossary) if self.glossary else None,
                dnt=list(dnt) if isinstance(dnt, list) else (self.context.path(dnt) if dnt else None),
                detect=self.detect_language, skip=self.skip)
        except GlossaryError as e:  # a missing or malformed glossary names its file (and line)
            raise StageError(f"check.publication: {e}") from None

    def process_batch(self, docs: list[Document]) -> list[Document]:
        self.warm_up()
        assert self._engine is not None
        jobs: list[tuple[Document, object, str]] = []
        pairs: list[Pair] = []
        for doc in docs:
            for seg in doc.segments:
                for lang, out in seg.translations.items():
                    if lang == seg.lang:
                        continue
                    status = seg.status.get(lang)
                    if status == Status.UNTRANSLATED:
                        self._flag(doc, seg, lang, "untranslated", "error",
                                   f"not translated (language {seg.lang}): {seg.text[:80]}")
                        continue
                    if status == Status.COPIED or seg.lang not in self.languages:
                        continue  # kept verbatim on purpose (numbers, a URL), or not checkable
                    jobs.append((doc, seg, lang))
                    pairs.append(Pair(seg.text, out, seg.lang, lang, seg.id))
        for (doc, seg, lang), flags in zip(jobs, self._engine.check(pairs), strict=True):
            for f in flags:
                self._flag(doc, seg, lang, f.code, f.severity, f.message)
        return docs

    @staticmethod
    def _flag(doc: Document, seg, lang: str, code: str, severity: str, message: str) -> None:
        if code not in seg.flags:
            seg.flags.append(code)
        doc.flag(code, message, severity=severity, segment=seg.id, lang=lang)
