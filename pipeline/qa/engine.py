"""The QA engine: checks many pairs at once (the language detector runs once per batch, on every
sentence of every translation) and returns the flags of each pair, in order.

    engine = QAEngine(glossary="terms.tsv", dnt="brands.txt")
    flags = engine.check([Pair(src, tgt, "en", "kk"), ...])   # list[list[Flag]]

The same engine serves `ngo-pipeline qa` and the pipeline's `check.publication` stage.
"""
from __future__ import annotations

import copy
import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

from ..document import Flag
from .budget import BudgetExceeded, time_limit
from .checks import CHECKS, Context
from .foreign import mask_copied_names
from .flags import LANGUAGES, Pair
from .glossary import LANGS, Glossary, GlossaryError, load_dnt, load_glossary, read_rows

_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
RATIOS_FILE = Path(__file__).with_name("ratios.toml")
MIN_DETECT_LETTERS = 15  # shorter sentences do not carry enough evidence of their language
MIN_DETECT_SCORE = 0.5
INTERNAL = "qa-internal"  # the code of a check that raised (see `internal`)
TIMEOUT = "qa-timeout"  # the checks of a pair ran past the time budget


def load_ratios(path: Path = RATIOS_FILE) -> dict[str, tuple[float, float, float]]:
    """{"en-ru": (low, median, high)} length-ratio bounds (translation / source characters)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {k: (float(v["low"]), float(v["median"]), float(v["high"])) for k, v in data.get("ratio", {}).items()}


class QAEngine:
    def __init__(self, glossary: str | Path | None = None, dnt: str | Path | list[str] | None = None,
                 detector: object | None = None, detect: bool = True,
                 skip: Iterable[str] = (), ratios: dict | None = None, time_budget: float | None = None):
        """glossary: a TSV/CSV file (see `glossary.py`); dnt: a file or a list of terms;
        detector: anything with `detect_many` (default: the project's shared detector, built on
        first use); detect=False turns the language checks off; skip: check names to leave out."""
        self.glossary_path = Path(glossary) if glossary else None
        self._glossaries: dict[tuple[str, str], Glossary | None] = {}
        self._per_language = False
        if self.glossary_path is not None:  # read now: a missing or broken file is a usage error
            self._per_language = _has_header(self.glossary_path)
            if not self._per_language:
                self._glossary_for("*", "*")
        self.dnt = list(dnt) if isinstance(dnt, list) else (load_dnt(dnt) if dnt else [])
        self._detector = detector
        self.detect = detect
        self.checks = [c for c in CHECKS if c.name not in set(skip)]
        self.ratios = load_ratios() if ratios is None else ratios
        self.time_budget = time_budget

    # -- configuration ------------------------------------------------------------------------
    def _glossary_for(self, src: str, tgt: str) -> Glossary | None:
        if self.glossary_path is None:
            return None
        key = (src, tgt) if self._per_language else ("*", "*")
        if key not in self._glossaries:
            try:
                self._glossaries[key] = load_glossary(self.glossary_path, src, tgt)
            except GlossaryError as e:
                if "not both" not in e.problem:
                    raise
                self._glossaries[key] = None  # the file has no columns for this direction
        return self._glossaries[key]

    def only(self, names: Iterable[str]) -> QAEngine:
        """The same engine (glossary, detector, ratios) running only the named checks."""
        clone = copy.copy(self)
        clone.checks = [c for c in self.checks if c.name in set(names)]
        return clone

    def without(self, names: Iterable[str]) -> QAEngine:
        clone = copy.copy(self)
        clone.checks = [c for c in self.checks if c.name not in set(names)]
        return clone

    @property
    def detector(self):
        if self._detector is None:
            from ..text.langid import shared_detector  # the one process-wide detector

            self._detector = shared_detector(LANGUAGES)
        return self._detector

    # -- checking -----------------------------------------------------------------------------
    def check(self, pairs: list[Pair]) -> list[list[Flag]]:
        """The flags of each pair, in order. Pairs with an unknown language code get one error
        flag (`bad-input`) and are not checked further."""
        results: list[list[Flag]] = [[] for _ in pairs]
        contexts: list[tuple[int, Context]] = []
        for i, p in enumerate(pairs):
            bad = [lang for lang in (p.src_lang, p.tgt_lang) if lang not in LANGUAGES]
            if bad:
                results[i].append(Flag(code="bad-input", severity="error",
                                       message=f"unknown language code {bad[0]!r} "
                                               f"(expected one of {', '.join(LANGUAGES)})"))
                continue
            contexts.append((i, Context(pair=p, ratio=self.ratios.get(f"{p.src_lang}-{p.tgt_lang}"),
                                        glossary=self._glossary_for(p.src_lang, p.tgt_lang),
                                        dnt=self.dnt)))
        if self.detect and any(c.name in ("untranslated", "wrong-language") for c in self.checks):
            try:
                with time_limit(self.time_budget and self.time_budget * max(len(contexts), 1)):
                    self._detect([c for _, c in contexts])
            except Exception as e:  # noqa: BLE001 - one failing detector must not sink the batch
                for i, _ in contexts:
                    results[i].append(internal("language detection", e))
        for i, ctx in contexts:
            results[i].extend(self._run_checks(ctx))
        return results

    def _run_checks(self, ctx: Context) -> list[Flag]:
        out: list[Flag] = []
        try:
            with time_limit(self.time_budget):
                for check in self.checks:
                    try:
                        out.extend(check.run(ctx))
                    except BudgetExceeded:
                        raise
                    except Exception as e:  # noqa: BLE001 - a check that raises is reported on its pair
                        out.append(internal(check.name, e))
        except BudgetExceeded as e:
            out.append(Flag(code=TIMEOUT, severity="error",
                            message=f"QA of this pair {e} (time budget per pair); it was not fully checked"))
        return out

    def check_one(self, source: str, translation: str, src_lang: str, tgt_lang: str) -> list[Flag]:
        return self.check([Pair(source, translation, src_lang, tgt_lang)])[0]

    def _detect(self, contexts: list[Context]) -> None:
        from ..text.langid import letters
        from ..text.sentences import split_sentences

        todo: list[tuple[Context, int, int]] = []
        texts: list[str] = []
        for ctx in contexts:
            ctx.detected = True
            text, pos = ctx.pair.translation, 0
            if ctx.pair.translation.strip() == ctx.pair.source.strip():
                continue  # reported as untranslated without a detector
            masked = mask_copied_names(ctx.pair.source, text, ctx.pair.tgt_lang)
            for sent, sep in split_sentences(text):
                start = text.find(sent, pos)
                pos = start + len(sent)
                bare = masked[start:pos]  # names copied from the source say nothing of the language
                if len(letters(bare)) >= MIN_DETECT_LETTERS:
                    todo.append((ctx, start, pos))
                    texts.append(bare)
        if not texts:
            return
        for (ctx, start, end), text, det in zip(todo, texts, self.detector.detect_many(texts), strict=True):
            lang, score = det[0], det[1]
            if lang == ctx.pair.tgt_lang or lang == "unknown" or score < MIN_DETECT_SCORE:
                continue
            if lang == "other" and ctx.pair.tgt_lang == "en" and not _CYRILLIC.search(text):
                continue  # Latin text that is not clearly English is names and quotations, not Kyrgyz
            ctx.sentence_langs.append((start, end, lang, score))


def internal(name: str, e: BaseException) -> Flag:
    """The flag of a check that raised: an error (the pair was not fully checked), naming the check."""
    return Flag(code=INTERNAL, severity="error",
                message=f"the {name} check failed on this pair ({type(e).__name__}: {e}); "
                        "it was not fully checked - please report this")


def _has_header(path: Path) -> bool:
    rows = read_rows(path)
    return bool(rows) and sum(c.lower() in LANGS for c in rows[0][1]) >= 2
