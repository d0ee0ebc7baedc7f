"""Carrying inline markup (links, bold, a Word run's formatting, code) from a paragraph's source
text onto its translation.

The pipeline translates sentences (`Segment`s); `Paragraph.translation(lang)` joins them. Writers
know where a span (a link, a bold word, a run of Word text) sat in the source paragraph as character
offsets; `Aligner` maps such offsets onto the translated paragraph:

- inside a sentence whose translation equals its source, offsets shift exactly;
- a span's text found once in the source sentence and once in its translation (names, numbers,
  URLs, code) anchors both its ends exactly;
- sentence boundaries are exact;
- anything else is placed proportionally between the nearest exact points and snapped to a word
  boundary, and is reported as approximate so the writer can say so on the review sheet.

The mapping is monotone, so nested spans stay nested and a partition (Word runs) stays a partition.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

_WORD = re.compile(r"\S+")
_TOKEN = re.compile(r"[\w@./:%+-]*\w")


def original(paragraph) -> str:
    """The paragraph's text as the source file has it (`text` may have been repaired for the models
    by the normalize stage, which keeps the original in `source_text`). Offsets are over this."""
    src = getattr(paragraph, "source_text", None)
    return src if src is not None else paragraph.text


def segment_ranges(paragraph, lang: str) -> tuple[str, list[tuple[int, int, int, int, bool]]]:
    """(translated text, [(src_start, src_end, tgt_start, tgt_end, unchanged)] per segment)."""
    source = original(paragraph)
    if not paragraph.segments:
        return source, [(0, len(source), 0, len(source), True)]
    out, parts, pos, tpos = [], [], 0, 0
    for i, seg in enumerate(paragraph.segments):
        seg_text = getattr(seg, "source_text", None) or seg.text  # the text as in the paragraph
        start = source.find(seg_text, pos)
        if start < 0:  # segments no longer match the paragraph text: treat as one block
            text = paragraph.translation(lang)
            return text, [(0, len(source), 0, len(text), text == source)]
        end = start + len(seg_text)
        trans = seg.translations.get(lang, seg_text)
        out.append((start, end, tpos, tpos + len(trans), trans == seg_text))
        parts.append(trans)
        tpos += len(trans)
        if i < len(paragraph.segments) - 1:
            parts.append(seg.sep)
            tpos += len(seg.sep)
        pos = end
    # Whitespace around the segments (the segmenter drops it) stays as it was.
    head, tail = source[:out[0][0]], source[pos:]
    if head.strip() or tail.strip():
        text = paragraph.translation(lang)
        return text, [(0, len(source), 0, len(text), text == source)]
    out = [(a, b, c + len(head), d + len(head), u) for a, b, c, d, u in out]
    return head + "".join(parts) + tail, out


def _whole(text: str, piece: str, lo: int, hi: int) -> list[int]:
    """Start offsets of `piece` in text[lo:hi] that do not start or end inside a word."""
    hits, i = [], text.find(piece, lo, hi)
    while i >= 0:
        j = i + len(piece)
        if not (i > 0 and text[i - 1].isalnum() and piece[0].isalnum()) and \
                not (j < len(text) and text[j].isalnum() and piece[-1].isalnum()):
            hits.append(i)
        i = text.find(piece, i + 1, hi)
    return hits


def _boundary_type(text: str, x: int) -> str:
    before = x > 0 and not text[x - 1].isspace()
    after = x < len(text) and not text[x].isspace()
    if before != after:
        return "end" if before else "start"
    return "start" if not before and 0 < x < len(text) else "any"


def _snap(text: str, x: int, lo: int, hi: int, want: str = "any") -> int:
    """The word boundary nearest to x within [lo, hi]: a word end when the source point was a word
    end (a footnote mark after a word), a word start when it was a word start."""
    if x <= lo or x >= hi:
        return min(max(x, lo), hi)

    def boundary(i: int) -> bool:
        if i in (lo, hi):
            return True
        kind = _boundary_type(text, i)
        return kind != "any" and (want == "any" or kind == want)

    for d in range(0, hi - lo + 1):
        for y in (x - d, x + d):
            if lo <= y <= hi and boundary(y):
                return y
    return x


class Aligner:
    """Maps offsets of the paragraph's original text (`original`) to offsets of its translation into `lang`."""

    def __init__(self, paragraph, lang: str, anchors: Iterable[tuple[int, int]] = ()):
        self.source = original(paragraph)
        self.text, self.segs = segment_ranges(paragraph, lang)
        self.identity = self.text == self.source
        # Exact point correspondences: segment boundaries, then text anchors.
        points: dict[int, int] = {}
        for s0, s1, t0, t1, _ in self.segs:
            points[s0], points[s1] = t0, t1
        if not self.identity:
            for a, b in sorted(set(anchors)):
                self._anchor(a, b, points)
            self._shared_tokens(points)
        keys = sorted(points)
        mono_s, mono_t = [], []
        for k in keys:  # keep a monotone chain only
            if not mono_t or points[k] >= mono_t[-1]:
                mono_s.append(k)
                mono_t.append(points[k])
        self.ps, self.pt = mono_s, mono_t
        self.approximate = 0

    def _seg(self, x: int):
        for seg in self.segs:
            if seg[0] <= x <= seg[1]:
                return seg
        return None

    def _anchor(self, a: int, b: int, points: dict[int, int]) -> None:
        piece = self.source[a:b]
        stripped = piece.strip()
        if len(stripped) < 2:
            return
        seg = self._seg(a)
        if seg is None or b > seg[1] or seg[4]:
            return
        s0, s1, t0, t1, _ = seg
        src_hits = _whole(self.source, stripped, s0, s1)
        tgt_hits = _whole(self.text, stripped, t0, t1)
        if len(src_hits) != 1 or len(tgt_hits) != 1:
            return
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        at = tgt_hits[0]
        points.setdefault(a + lead, at)
        points.setdefault(b - trail, at + len(stripped))

    def _shared_tokens(self, points: dict[int, int]) -> None:
        """Words that a translation keeps as they are (numbers, names in Latin letters, acronyms,
        URLs), once in a sentence and once in its translation: fixed points for interpolation."""
        for s0, s1, t0, t1, unchanged in self.segs:
            if unchanged:
                continue
            src = {}
            for m in _TOKEN.finditer(self.source, s0, s1):
                src.setdefault(m.group(), []).append(m.span())
            tgt = {}
            for m in _TOKEN.finditer(self.text, t0, t1):
                tgt.setdefault(m.group(), []).append(m.span())
            for token, spans in src.items():
                if len(spans) == 1 and len(tgt.get(token, ())) == 1 and any(c.isdigit() or c.isupper() for c in token):
                    (a, b), (c, d) = spans[0], tgt[token][0]
                    points.setdefault(a, c)
                    points.setdefault(b, d)

    def exact(self, x: int) -> bool:
        if self.identity:
            return True
        seg = self._seg(x)
        if seg is not None and seg[4]:
            return True
        i = bisect.bisect_left(self.ps, x)
        return i < len(self.ps) and self.ps[i] == x

    def map(self, x: int) -> int:
        """The offset in the translation that corresponds to source offset x."""
        if self.identity:
            return x
        seg = self._seg(x)
        if seg is not None and seg[4]:
            return seg[2] + (x - seg[0])
        i = bisect.bisect_left(self.ps, x)
        if i < len(self.ps) and self.ps[i] == x:
            return self.pt[i]
        if i == 0 or i >= len(self.ps):
            return self.pt[0] if i == 0 else self.pt[-1]
        s0, s1, t0, t1 = self.ps[i - 1], self.ps[i], self.pt[i - 1], self.pt[i]
        self.approximate += 1
        return self._interpolate(x, s0, s1, t0, t1)

    def _interpolate(self, x: int, s0: int, s1: int, t0: int, t1: int) -> int:
        """Between two fixed points: after the same share of the words (a word boundary maps to a
        word boundary of the same kind); inside a word, proportionally within the word it maps to,
        at a letter/punctuation boundary of the same kind when there is one. Monotone in x."""
        src = [m.span() for m in _WORD.finditer(self.source, s0, s1)]
        tgt = [m.span() for m in _WORD.finditer(self.text, t0, t1)]
        if not src or not tgt:
            return _snap(self.text, t0 + round((x - s0) * (t1 - t0) / max(1, s1 - s0)), t0, t1)
        ratio = len(tgt) / len(src)

        def start_of(k: int) -> int:  # where source word k starts (k words before it)
            j = round(k * ratio)
            return t1 if j >= len(tgt) else max(t0, tgt[j][0])

        def end_of(k: int) -> int:  # where source word k ends (k + 1 words up to it)
            j = round((k + 1) * ratio)
            return t0 if j == 0 else min(t1, tgt[min(j, len(tgt)) - 1][1])

        for k, (a, b) in enumerate(src):
            if x < a:  # in the gap before word k: where word k starts
                return start_of(k)
            if x == a:
                return start_of(k)
            if x < b:
                ys, ye = start_of(k), end_of(k)
                if ye <= ys:
                    return ys
                return self._in_word(x, a, b, ys, ye)
            if x == b:
                return max(end_of(k), start_of(k))
        return t1 if x >= s1 else end_of(len(src) - 1)

    def _in_word(self, x: int, a: int, b: int, ys: int, ye: int) -> int:
        """x inside source word [a, b) that maps to [ys, ye]: leading and trailing punctuation the
        target word shares ("«", "),") map exactly; the letters between proportionally."""
        word, target = self.source[a:b], self.text[ys:ye]
        pre = len(word) - len(word.lstrip("".join(c for c in word if not c.isalnum())))
        suf = len(word) - len(word.rstrip("".join(c for c in word if not c.isalnum())))
        pre = pre if target.startswith(word[:pre]) else 0
        suf = suf if suf and target.endswith(word[b - a - suf:]) else 0
        lo, hi = ys + pre, max(ys + pre, ye - suf)
        if x <= a + pre:
            return ys + (x - a)
        if x >= b - suf:
            return min(ye, max(hi, hi + (x - (b - suf))))
        inner = max(1, (b - suf) - (a + pre))
        return lo + round((x - (a + pre)) * (hi - lo) / inner)

    def map_cuts(self, cuts: list[int]) -> tuple[list[int], bool]:
        """Map ascending cut points; returns (cuts in the translation, all exact)."""
        out, exact = [], True
        for c in cuts:
            exact = exact and self.exact(c)
            y = self.map(c)
            out.append(max(y, out[-1]) if out else y)
        return out, exact
