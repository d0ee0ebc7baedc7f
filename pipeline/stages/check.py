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
    model_score = true                # low-confidence: model scores ranked against correct translations
    score_with = "translate"          # the stage whose models score (a "scorer")
    low_confidence_percent = 2.5      # flag below this rank (per side: forward, reverse)

With `model_score` and a translate stage whose models are installed, each translation (machine,
memory or human) is also scored by the models (`pipeline/translate/confidence.py`) and flagged
`low-confidence` (warning) when its score is rarer than `low_confidence_percent` of correct
translations of that model and direction.
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
                 detect_language: bool = True, skip: list[str] | None = None,
                 model_score: bool = True, low_confidence_percent: float = 2.5, score_with: str = "translate"):
        self.model_score, self.low_confidence_percent = model_score, low_confidence_percent
        self.score_with, self.scorer_stage = score_with, None
        self.glossary = glossary
        self.do_not_translate = do_not_translate
        self.detect_language = detect_language
        self.skip = list(skip or [])
        self._engine: QAEngine | None = None

    @classmethod
    def check_params(cls, params: dict) -> list[tuple[str, str]]:
        names = {c.name for c in CHECKS}
        pct = params.get("low_confidence_percent", 2.5)
        bad_pct = [] if isinstance(pct, int | float) and 0 <= pct <= 50 else [
            ("low_confidence_percent", f"must be a percentage between 0 and 50, not {pct!r}")]
        return bad_pct + [("skip", f"unknown check {s!r}; checks: {', '.join(sorted(names))}")
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
        self._confidence(jobs)
        return docs

    def uses(self) -> dict[str, str]:
        """The model-confidence link: the stage named `score_with` scores translations."""
        return {"scorer": self.score_with} if self.model_score else {}

    def bind(self, role: str, stage: Stage | None) -> None:
        self.scorer_stage = stage

    def _confidence(self, jobs: list) -> None:
        """The model-confidence hook: `low-confidence` flags from the scorer stage's models."""
        if not self.model_score or self.scorer_stage is None:
            return
        scorer_of = self.scorer_stage.confidence
        from ..translate.confidence import CODE, Item

        jobs = [(doc, seg, lang) for doc, seg, lang in jobs if lang in self.languages]  # not kk-Latn
        items = [Item(seg.text, seg.translations[lang], seg.lang, lang,
                      seg.model_score.get(lang) if seg.status.get(lang) != Status.HUMAN else None)
                 for _, seg, lang in jobs]
        scorer = scorer_of(self.low_confidence_percent, only_calibrated=True)  # unranked scores flag nothing
        for (doc, seg, lang), a in zip(jobs, scorer.assess(items), strict=True):
            if a.flagged:
                self._flag(doc, seg, lang, CODE, "warning", a.message)

    @staticmethod
    def _flag(doc: Document, seg, lang: str, code: str, severity: str, message: str) -> None:
        if code not in seg.flags:
            seg.flags.append(code)
        doc.flag(code, message, severity=severity, segment=seg.id, lang=lang)
