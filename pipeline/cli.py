"""`ngo-pipeline`: the command line. Exit codes: 0 success, 1 some documents failed, 2 usage or
configuration error. Progress bars and per-file problems go to stderr; results to stdout.

torch and transformers are imported only where a model is loaded, so `--help`, `check` and
`detect` start fast.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from . import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    pass


def _langs(value: str | None) -> list[str] | None:
    if not value:
        return None
    from .config import SUPPORTED_LANGUAGES

    langs = [v.strip() for v in value.split(",") if v.strip()]
    bad = [lang for lang in langs if lang not in SUPPORTED_LANGUAGES]
    if bad:
        raise UsageError(f"unsupported language(s) {', '.join(bad)}; supported: {', '.join(SUPPORTED_LANGUAGES)}")
    return langs


def _pipeline(args):
    from .pipeline import Pipeline

    return Pipeline.from_config(args.config)


def _read(path: str):
    from .io import read_document

    return read_document(path)


# -- commands ------------------------------------------------------------------------------------
def cmd_check(args) -> int:
    from . import config

    try:
        cfg = config.load(args.config_file)
    except config.ConfigError as e:
        for p in e.problems:
            print(p, file=sys.stderr)
        print(f"{len(e.problems)} problem(s) found", file=sys.stderr)
        return EXIT_USAGE
    print(f"{cfg.path}: OK ({len(cfg.stages)} stages: "
          + ", ".join(f"{s.name}={s.factory}" for s in cfg.stages) + ")")
    return EXIT_OK


def cmd_run(args) -> int:
    from tqdm import tqdm

    from .runner import discover

    targets, source = _langs(args.to), (_langs(args.source) or [None])[0]
    pipe = _pipeline(args)
    in_dir, out_dir = Path(args.in_dir), Path(args.out)
    if not in_dir.is_dir():
        raise UsageError(f"{in_dir}: input folder does not exist")
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"{out_dir}: output path exists and is not a folder")
    if not args.dry_run:
        pipe.warm_up()  # a missing model is a usage error, reported once, not once per document
    total = len(discover(in_dir, out_dir))
    counts: dict[str, int] = {}
    bar = tqdm(total=total, unit="doc", file=sys.stderr, disable=args.quiet, dynamic_ncols=True)
    for res in pipe.run_folder(in_dir, out_dir, targets=targets, source_lang=source,
                               force=args.force, dry_run=args.dry_run):
        counts[res.status] = counts.get(res.status, 0) + 1
        bar.update(1)
        if res.status == "failed":
            tqdm.write(f"FAILED {in_dir / res.path}: {res.error}", file=sys.stderr)
        elif res.status == "unsupported":
            tqdm.write(f"skipped {in_dir / res.path}: {res.error}", file=sys.stderr)
        elif args.dry_run:
            print(f"{res.status}: {res.path}")
    bar.close()
    print(", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "no input files",
          f"(report: {out_dir / 'report.jsonl'})" if not args.dry_run else "(dry run)", file=sys.stderr)
    return EXIT_FAILED if counts.get("failed") else EXIT_OK


def _detector(args):
    """The configured detect stage (or detect.lingua), built like every other stage."""
    from . import registry

    pipe = _pipeline(args)
    for _, stage in pipe.stages:
        if stage.factory_name.startswith("detect"):
            return stage
    return registry.create("detect.lingua", languages=pipe.languages)


def cmd_detect(args) -> int:
    det = _detector(args)
    if args.file == "-":
        lines = [ln.rstrip("\n") for ln in sys.stdin]
        for text, (lang, score) in zip(lines, det.detect_many(lines), strict=True):
            print(json.dumps({"lang": lang, "score": score, "text": text}, ensure_ascii=False))
        return EXIT_OK
    from .segment import SegmentStage

    doc = _read(args.file)
    if args.source:
        doc.metadata["source_lang"] = args.source
    det(SegmentStage()(doc))
    if args.json:
        print(json.dumps({"lang": doc.lang, "score": doc.lang_score,
                          "paragraphs": [{"index": p.index, "lang": p.lang, "score": p.score,
                                          "text": p.text} for p in doc.paragraphs]}, ensure_ascii=False))
        return EXIT_OK
    print(f"{args.file}: {doc.lang} ({doc.lang_score:.2f})")
    for p in doc.paragraphs:
        print(f"  [{p.index}] {p.lang:<7} {p.score:.2f}  {p.text[:70]}")
    return EXIT_OK


def cmd_translate(args) -> int:
    from .io import write_outputs

    targets, source = _langs(args.to), (_langs(args.source) or [None])[0]
    pipe = _pipeline(args)
    doc = pipe.prepare(_read(args.file), targets, source)
    pipe.warm_up()
    doc = pipe(doc)
    if args.out:
        paths = write_outputs(doc, Path(args.out), Path(Path(args.file).name))
        for p in paths.values():
            print(p)
    elif args.json:
        print(json.dumps(doc.to_dict(), ensure_ascii=False, indent=2))
    else:
        for lang in doc.targets:
            if len(doc.targets) > 1:
                print(f"=== {lang} ===")
            print(doc.translation(lang))
    for f in doc.flags:
        print(f"check [{f.code}] {f.segment or ''} {f.lang or ''}: {f.message}", file=sys.stderr)
    return EXIT_OK


def cmd_summarize(args) -> int:
    from .summarize import ExtractiveSummarizer

    pipe = _pipeline(args)
    doc = _read(args.file)
    summarizer = next((s for _, s in pipe.stages if isinstance(s, ExtractiveSummarizer)), None)
    if summarizer is None:
        raise UsageError("the configuration has no summarize stage")
    for _, stage in pipe.stages:  # segment and detect only: translation happens for the summary alone
        if stage.factory_name.startswith(("segment", "detect")):
            doc = stage(doc)
    lang = (_langs(args.lang) or [doc.lang])[0]
    doc.targets = [lang] if lang != doc.lang else []
    summarizer.warm_up()
    out = summarizer.summarize(doc, sentences=args.sentences, words=args.words)
    print(out.get(lang, ""))
    return EXIT_OK


def _config_models(path: str | None) -> list[str]:
    """The catalog models a pipeline config uses (what `models pull` fetches by default)."""
    from . import config, models

    catalog = models.load_catalog()
    names = set()
    for spec in config.load(path).stages:
        refs = spec.params.get("models")
        if refs is None and spec.factory.startswith("translate"):
            from .translate import DEFAULT_MODELS

            refs = DEFAULT_MODELS
        names |= {r for r in (refs or {}).values() if r in catalog}
    return sorted(names)


def cmd_models(args) -> int:
    from . import models

    if args.action == "list":
        catalog = models.load_catalog()
        print(f"store: {models.store_dir()}")
        for name, e in sorted(catalog.items()):
            path = models.store_dir() / name
            present = "present" if (path / "config.json").exists() else "missing"
            ct2 = [d.name for d in path.glob("ctranslate2-*") if (d / "model.bin").exists()] if path.exists() else []
            print(f"{name:<26} {present:<8} {e.task:<13} {','.join(e.languages):<36} {e.license:<14} "
                  f"{'verified' if e.verified else 'UNVERIFIED'} {e.hub_id}@{e.revision[:12]}"
                  + (f"  ct2: {','.join(ct2)}" if ct2 else ""))
        return EXIT_OK
    if args.action == "pull":
        names = args.names or _config_models(args.config)
        failed = 0
        for name in names:
            try:
                print(f"pulled {name} -> {models.pull(name, allow_unpinned=args.allow_unpinned)}")
            except Exception as e:  # network errors, auth, unknown names: report and go on
                print(f"cannot pull {name}: {e}", file=sys.stderr)
                failed += 1
        return EXIT_FAILED if failed else EXIT_OK
    if args.action == "convert":
        failed = 0
        for name in args.names:
            ref = models.resolve(name)
            quant = args.quantization or (ref.entry.ct2_compute_type if ref.entry else "int8")
            try:
                print(f"converted {name} -> {models.convert(ref, quant)}")
            except Exception as e:
                print(f"cannot convert {name}: {e}", file=sys.stderr)
                failed += 1
        return EXIT_FAILED if failed else EXIT_OK
    raise UsageError("models: choose list, pull or convert")


# -- parser --------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="ngo-pipeline", description=(
        "Detect, translate (en/ru/kk), summarise and flag NGO press releases for review."))
    ap.add_argument("--version", action="version", version=f"ngo-pipeline {__version__}")
    ap.add_argument("-v", "--verbose", action="store_true", help="log progress details to stderr")
    sub = ap.add_subparsers(dest="command", required=True)

    def with_config(p):
        p.add_argument("--config", help="pipeline TOML (default: the packaged default.toml)")
        return p

    p = with_config(sub.add_parser("run", help="process every document in a folder"))
    p.add_argument("in_dir")
    p.add_argument("--out", required=True, help="output folder (created; subfolders mirrored)")
    p.add_argument("--to", help="target languages, comma separated (default: the other configured ones)")
    p.add_argument("--from", dest="source", help="source language: overrides detection")
    p.add_argument("--dry-run", action="store_true", help="list what would be processed; write nothing")
    p.add_argument("--force", action="store_true", help="redo documents even when unchanged")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("check", help="validate a config file (exit 2 when it has problems)")
    p.add_argument("config_file")
    p.set_defaults(func=cmd_check)

    p = with_config(sub.add_parser("detect", help="document and per-paragraph language; '-' reads lines from stdin"))
    p.add_argument("file")
    p.add_argument("--from", dest="source", help="force this language")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_detect)

    p = with_config(sub.add_parser("translate", help="translate one document"))
    add_translate_args(p)
    p.set_defaults(func=cmd_translate)

    p = with_config(sub.add_parser("summarize", help="print a short summary of one document"))
    p.add_argument("file")
    p.add_argument("--lang", help="language of the summary (default: the document's)")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--sentences", type=int)
    g.add_argument("--words", type=int)
    p.set_defaults(func=cmd_summarize)

    p = with_config(sub.add_parser("models", help="list, pull (connected machine) or convert (CTranslate2) models"))
    p.add_argument("action", choices=["list", "pull", "convert"])
    p.add_argument("names", nargs="*", help="catalog names (pull: default, the models the config uses)")
    p.add_argument("--quantization", help="CTranslate2 compute type (default: the catalog's)")
    p.add_argument("--allow-unpinned", action="store_true", help="pull a catalog entry whose revision is a branch")
    p.set_defaults(func=cmd_models)
    return ap


def add_translate_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file")
    p.add_argument("--to", help="target languages, comma separated (default: the other configured ones)")
    p.add_argument("--from", dest="source", help="source language: overrides detection")
    p.add_argument("--out", help="write the translated files and the JSON record into this folder")
    p.add_argument("--json", action="store_true", help="print the Document as JSON (with segments)")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    from .config import ConfigError
    from .io import ReadError
    from .models import ModelNotFound
    from .stage import StageError

    try:
        return args.func(args)
    except ConfigError as e:
        for p in e.problems:
            print(p, file=sys.stderr)
        return EXIT_USAGE
    except (UsageError, ModelNotFound, StageError) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except ReadError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
