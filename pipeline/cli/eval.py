"""`ngo-pipeline eval REFS [REFS2] [--config CFG] [--models a,b | --compare CFG2] [--json]
[--sample N] [--seed S] [--choose [--max-slowdown 2] --out CFG]`: translation quality on your own
references (pipeline/evaluate/)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from .common import EXIT_FAILED, EXIT_OK, UsageError, with_config


def add_parser(sub) -> None:
    p = with_config(sub.add_parser(
        "eval", help="measure translation quality (chrF++, BLEU, QA flags, speed) on your own references",
        description="Translate the sources of human references with the configured models (translation "
                    "memory bypassed) and score the outputs per direction. REFS: a .tmx, a .jsonl, a .tsv "
                    "with language columns, or two aligned text files (news.en.txt news.kk.txt)."))
    p.add_argument("refs", nargs="+", metavar="REFS", help="reference file(s)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--models", help="also evaluate these models (catalog names or folders; DIR=MODEL "
                                    "for a one-direction folder), comma separated")
    g.add_argument("--compare", metavar="CFG2", help="also evaluate a second pipeline config")
    p.add_argument("--json", action="store_true", help="one JSON object on stdout")
    p.add_argument("--sample", type=int, metavar="N", help="at most N sentences per direction")
    p.add_argument("--seed", type=int, default=0, help="seed of --sample (default 0)")
    p.add_argument("--directions", help="only these directions, e.g. en-kk,ru-kk")
    p.add_argument("--pair", help="direction of two text files when their names do not say it (en-kk)")
    p.add_argument("--include-calibration", action="store_true",
                   help="also use the pairs kept apart for calibrating model confidence")
    p.add_argument("--no-qa", action="store_true", help="skip the QA flag rate")
    p.add_argument("--choose", action="store_true",
                   help="write a config using, per direction, the best system within the speed budget")
    p.add_argument("--max-slowdown", type=float, default=2.0,
                   help="--choose: at most this many times the configured route's time per sentence (2)")
    p.add_argument("--out", metavar="CFG", help="--choose: the config file to write")
    p.set_defaults(func=run)


def _systems(args, directions: list[str]):
    from ..evaluate.choose import pivot_system
    from ..evaluate.systems import System, model_system

    base = System(Path(args.config).stem if args.config else "default", args.config)
    systems = [base]
    if args.models:
        systems += [model_system(m.strip(), args.config) for m in args.models.split(",") if m.strip()]
    if args.compare:
        systems.append(System(Path(args.compare).stem, args.compare))
    if args.choose:
        pivot = pivot_system(args.config, directions)
        if pivot is not None:
            systems.append(pivot)
    seen: set[str] = set()
    for s in systems:  # unique labels
        label, n = s.label, 2
        while s.label in seen:
            s.label, n = f"{label}#{n}", n + 1
        seen.add(s.label)
    return systems


def run(args) -> int:
    from ..evaluate import metrics, refs as refs_mod, report
    from ..evaluate.systems import ALL_DIRECTIONS, SystemSpecError
    from ..evaluate.run import evaluate_system

    if args.choose and not args.out:
        raise UsageError("eval --choose: give --out CFG, the config file to write")
    if args.choose and args.config and Path(args.out).resolve() == Path(args.config).resolve():
        raise UsageError("eval --choose: --out must be a new file, not the --config it starts from")
    if args.sample is not None and args.sample < 1:
        raise UsageError("--sample must be at least 1")
    if args.max_slowdown < 1:
        raise UsageError("--max-slowdown must be at least 1 (1 = no slower than the configured route)")
    args.directions_list = [d.strip() for d in (args.directions or "").split(",") if d.strip()] or None
    bad = [d for d in args.directions_list or [] if d not in ALL_DIRECTIONS]
    if bad:
        raise UsageError(f"unknown direction(s) {', '.join(bad)}; use {', '.join(ALL_DIRECTIONS)}")
    try:
        refs = refs_mod.only(refs_mod.read_refs(args.refs, args.pair), args.directions_list)
        held = 0
        if not args.include_calibration:
            refs, held = refs_mod.hold_apart(refs)
        if args.sample:
            refs = refs_mod.sample(refs, args.sample, args.seed)
        systems = _systems(args, sorted(refs))
    except (refs_mod.RefsError, SystemSpecError) as e:
        raise UsageError(str(e)) from None
    if not refs:
        raise UsageError(f"{' '.join(args.refs)}: every pair is kept apart for calibration; "
                         "use --include-calibration to evaluate on them anyway")
    comet_note = metrics.comet_status()
    qa = None
    if not args.no_qa:
        from ..evaluate.run import qa_for
        from ..qa import GlossaryError

        try:
            qa = qa_for(args.config)  # the config's glossary and checks
        except GlossaryError as e:
            raise UsageError(f"QA: {e}") from None
    log = (lambda msg: print(msg, file=sys.stderr, flush=True))
    results = [evaluate_system(s, refs, qa, comet_note is None, directions=list(s.drop) or None, progress=log)
               for s in systems]  # a pivot system only where it differs from the config
    if comet_note is None and any(x.comet is None for r in results for x in r.directions.values()):
        comet_note = "COMET: failed at run time for some directions (the warnings on stderr say why)"
    sampled = {"n": args.sample, "seed": args.seed} if args.sample else None
    choices = None
    if args.choose:
        from ..evaluate.choose import choose, write_config

        choices = choose(results, systems[0].label, args.max_slowdown)
    if args.json:
        obj = report.to_json(results, held, comet_note, sampled)
        if choices is not None:
            obj["chosen"] = {d: {"system": c.label, "route": c.result.route, "reason": c.reason}
                             for d, c in choices.items()}
        print(json.dumps(obj, ensure_ascii=False))
    else:
        print(report.table(results))
        print(f"\nsignature: {metrics.signature()}")
        print(f"held apart for calibration: {held} pairs"
              + (" (--include-calibration uses them)" if held else ""))
        if args.sample:
            print(f"sample: at most {args.sample} per direction, seed {args.seed}")
        print(comet_note or "COMET: computed with " + str(metrics.comet_checkpoint()))
        for c in (choices or {}).values():
            print(f"chosen {c.reason}")
    if choices:
        out = write_config(args.config, choices, Path(args.out))
        print(f"wrote {out}", file=sys.stderr)
    elif args.choose:
        print(f"nothing written to {args.out}: no direction could be evaluated", file=sys.stderr)
    evaluated = sum(len(r.directions) for r in results)  # why the others were not: in the table / JSON
    return EXIT_OK if evaluated else EXIT_FAILED
