"""`ngo-pipeline models list | pull [NAME...] | convert NAME`: the local model store."""
from __future__ import annotations

import sys

from .common import EXIT_FAILED, EXIT_OK, UsageError, with_config


def add_parser(sub) -> None:
    p = with_config(sub.add_parser("models", help="list, pull (connected machine) or convert (CTranslate2) models"))
    p.add_argument("action", choices=["list", "pull", "convert"])
    p.add_argument("names", nargs="*", help="catalog names (pull: default, the models the config uses)")
    p.add_argument("--quantization", help="CTranslate2 compute type (default: the catalog's)")
    p.add_argument("--preset", help="pull: the models of a catalog preset (fast, quality)")
    p.add_argument("--allow-unpinned", action="store_true", help="pull a catalog entry whose revision is a branch")
    p.set_defaults(func=run)


def config_models(path: str | None) -> list[str]:
    """The catalog models a pipeline config uses (what `models pull` fetches by default)."""
    from .. import config, models
    from ..stages.translate import DEFAULT_MODELS

    catalog = models.load_catalog()
    names = set()
    presets = models.load_presets()
    for spec in config.load(path).stages:
        refs = spec.params.get("models")
        if spec.params.get("preset"):
            refs = {**presets.get(spec.params["preset"], {}), **(refs or {})}
        if refs is None and spec.factory.startswith("translate"):
            refs = DEFAULT_MODELS
        names |= {r for r in (refs or {}).values() if r in catalog}
    return sorted(names)


def _list() -> int:
    """Each catalog model: store state, task, languages, size, licence, pin, measured speed here
    (scripts/bench.py --save) and published quality; then the presets and the sources."""
    from .. import models
    from ..evaluate import speed

    catalog = models.load_catalog()
    bench, bench_line = speed.load_bench()
    published, sources = speed.load_published()
    print(f"store: {models.store_dir()}")
    print(bench_line)
    for name, e in sorted(catalog.items()):
        path = models.store_dir() / name
        present = "present" if (path / "config.json").exists() else "missing"
        ct2 = [d.name for d in path.glob("ctranslate2-*") if (d / "model.bin").exists()] if path.exists() else []
        size = (f"{e.params or '?'} params, " + (f"{e.size_gb:g} GB" if e.size_gb else "size not read"))
        pinned = "pinned" if len(e.revision) == 40 else "NOT PINNED"
        print(f"\n{name:<26} {present:<8} {e.task:<13} {','.join(e.languages)}")
        print(f"    {size}; licence {e.license}; {e.hub_id}@{e.revision[:12]} {pinned}, "
              f"{'verified' if e.verified else 'UNVERIFIED'}" + (f"; ct2: {','.join(ct2)}" if ct2 else ""))
        if e.task == "translation":
            print(f"    speed here: {speed.speed_text(name, bench)}")
            print(f"    {speed.published_text(name, published)}")
    print("\npresets ([stages.translate] preset = NAME; the packaged default config is `fast`):")
    for pname, mapping in models.load_presets().items():
        print(f"    {pname:<8} " + "  ".join(f"{d}={m}" for d, m in mapping.items()))
    print("sources of published figures:")
    for sid, src in sources.items():
        print(f"    {sid}: {src.get('title', '')} <{src.get('url', '')}>; {src.get('note', '')}")
    return EXIT_OK


def _pull(args) -> int:
    from .. import models

    presets = models.load_presets()
    if args.preset and args.preset not in presets:
        raise UsageError(f"no preset {args.preset!r}; presets: {', '.join(presets)}")
    names = args.names or (sorted(set(presets[args.preset].values())) if args.preset else config_models(args.config))
    catalog = models.load_catalog()
    unknown = [n for n in names if n not in catalog]
    if unknown:
        raise UsageError(f"not in the catalog: {', '.join(unknown)}; catalog: {', '.join(sorted(catalog))}")
    offline = models.hub_reachable()
    if offline:
        print(f"cannot pull {', '.join(names)}: {offline}. Run this on a connected machine, then copy "
              f"{models.store_dir()} here (or set NGO_PIPELINE_MODELS).", file=sys.stderr)
        return EXIT_FAILED
    failed = 0
    for name in names:
        try:
            print(f"pulled {name} -> {models.pull(name, allow_unpinned=args.allow_unpinned)}")
        except Exception as e:  # network errors, auth, unknown names: report and go on
            print(f"cannot pull {name}: {e}", file=sys.stderr)
            failed += 1
    return EXIT_FAILED if failed else EXIT_OK


def _convert(args) -> int:
    from .. import models

    if not args.names:
        raise UsageError("models convert: name the models to convert (catalog names or folders)")
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


def run(args) -> int:
    actions = {"list": lambda a: _list(), "pull": _pull, "convert": _convert}
    if args.action not in actions:
        raise UsageError("models: choose list, pull or convert")
    return actions[args.action](args)
