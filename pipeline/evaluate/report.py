"""The evaluation as a terminal table or as one JSON object.

JSON: `{"directions": {"en-ru": {"chrf", "bleu", "sentences", "flag_rate", "tokens_per_s",
"sentences_per_s", "route"[, "comet"]}, ...}, "signature": "...", "held_apart": n, "comet": null |
"why not", "systems": {label: {"directions": ..., "skipped": ...}}}`: `directions` is the first
system's (the `--config` one); `systems` has every system when several were compared.
"""
from __future__ import annotations

from .metrics import signature
from .run import SystemResult


def to_json(results: list[SystemResult], held_apart: int = 0, comet_note: str | None = None,
            sampled: dict | None = None) -> dict:
    first = results[0]
    out = {"directions": {d: x.to_json() for d, x in sorted(first.directions.items())},
           "signature": signature(), "held_apart": held_apart, "comet": comet_note}
    if first.skipped:
        out["skipped"] = dict(first.skipped)
    if sampled:
        out["sample"] = sampled
    if len(results) > 1:
        out["systems"] = {r.label: {"directions": {d: x.to_json() for d, x in sorted(r.directions.items())},
                                    "skipped": dict(r.skipped)} for r in results}
    return out


def table(results: list[SystemResult]) -> str:
    head = (f"{'direction':<9} {'system':<22} {'route':<34} {'n':>5} {'chrF++':>7} {'BLEU':>6} "
            f"{'COMET':>6} {'QA flags':>8} {'sent/s':>7} {'tok/s':>8}")
    rows = [head, "-" * len(head)]
    directions = sorted({d for r in results for d in (*r.directions, *r.skipped)})
    for d in directions:
        for r in results:
            x = r.directions.get(d)
            if x is not None:
                comet = f"{x.comet:.3f}" if x.comet is not None else "-"
                flags = f"{100 * x.flag_rate:.1f}%" if x.flag_rate is not None else "-"
                rows.append(f"{d:<9} {r.label[:22]:<22} {x.route[:34]:<34} {x.sentences:>5} {x.chrf:>7.1f} "
                            f"{x.bleu:>6.1f} {comet:>6} {flags:>8} {x.sentences_per_s:>7.1f} "
                            f"{x.tokens_per_s:>8.0f}")
            elif d in r.skipped:
                rows.append(f"{d:<9} {r.label[:22]:<22} not evaluated: {r.skipped[d]}")
    return "\n".join(rows)
