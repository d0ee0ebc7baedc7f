#!/usr/bin/env python3
"""sha256 of every output the pipeline writes on the tiny models, one input of every format.

    python scripts/golden_outputs.py [--work /tmp/golden] [--runner] > hashes.txt
    diff before.txt after.txt

A refactoring check ("outputs byte-identical before and after"): inputs are .txt (seeds/), .md,
.html, .docx (tests/data/docs/), and an .odt and a .pdf made by the helpers of
tests/test_writers.py. Every input is processed in-process (`Pipeline.process_file` and
`write_outputs`) twice: into the configured languages, and into `ru,kk-Latn`; with `--runner` the
folder also goes through `ngo-pipeline run` (worker process, skip key), and its outputs are hashed
too (report.jsonl and the run's own bookkeeping hold timings and are left out). The work folder is
fixed, so that absolute paths in the JSON records are the same from run to run.

Zip packages (.docx, .odt) are hashed member by member (name, compression, bytes), not as a whole
file: a .docx made new for a PDF input gets the clock's time on every member, so its file bytes
change from minute to minute while every member is the same. Everything else is hashed whole.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "models" / "tiny"
INPUTS = {"a-text.txt": ROOT / "seeds" / "youth_volunteers_shymkent_ru.txt",
          "b-markdown.md": ROOT / "tests" / "data" / "docs" / "release-constructs.md",
          "c-page.html": ROOT / "tests" / "data" / "docs" / "headline-in-metadata.html",
          "d-word.docx": ROOT / "tests" / "data" / "docs" / "constructs.docx"}
BOOKKEEPING = ("report.jsonl", ".ngo-pipeline")


def _writers_helpers():
    spec = importlib.util.spec_from_file_location("test_writers", ROOT / "tests" / "test_writers.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def make_inputs(folder: Path) -> None:
    folder.mkdir(parents=True)
    for name, src in INPUTS.items():
        shutil.copyfile(src, folder / name)
    helpers = _writers_helpers()
    with zipfile.ZipFile(folder / "e-writer.odt", "w") as z:  # as helpers.make_odt, at a fixed time
        for name, text in (("mimetype", "application/vnd.oasis.opendocument.text"),
                           ("content.xml", helpers.ODT_CONTENT), ("styles.xml", helpers.ODT_STYLES)):
            z.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), text)
    (folder / "f-scan.pdf").write_bytes(helpers.pdf_bytes([
        ["#Water forum opens in Almaty", "The forum brought together more than three",
         "hundred participants from five countries."], ["Contacts: press office."]]))


def make_config(work: Path, name: str, no_check: bool = False) -> Path:
    sys.path.insert(0, str(ROOT / "scripts"))
    from make_test_models import config_text

    text = config_text(TINY, work / f"{name}.sqlite")
    if no_check:  # without the QA stage: its flags change whenever the checks are tuned
        text = text.replace('"summarize", "check"]', '"summarize"]').replace(
            '[stages.check]\nfactory = "check.publication"\n', "")
    path = work / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def digest(path: Path) -> str:
    if path.suffix in (".docx", ".odt"):
        h = hashlib.sha256()
        with zipfile.ZipFile(path) as z:
            for info in z.infolist():
                h.update(f"{info.filename}\0{info.compress_type}\0".encode() + z.read(info) + b"\0")
        return h.hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): digest(p)
            for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(part.startswith(BOOKKEEPING) for part in p.relative_to(folder).parts)}


def in_process(work: Path, inputs: Path, no_check: bool = False) -> dict[str, str]:
    from pipeline import Pipeline
    from pipeline.io import write_outputs

    out: dict[str, str] = {}
    for label, targets in (("default", None), ("ru+kk-Latn", ["ru", "kk-Latn"])):
        pipe = Pipeline.from_config(make_config(work, f"tm-{label}", no_check))
        dest = work / f"out-{label}"
        for path in sorted(inputs.iterdir()):
            doc = pipe.process_file(path, targets=targets)
            write_outputs(doc, dest, Path(path.name))
        out.update({f"{label}/{k}": v for k, v in hashes(dest).items()})
    return out


def runner(work: Path, inputs: Path) -> dict[str, str]:
    dest = work / "out-runner"
    cmd = [sys.executable, "-m", "pipeline.cli", "run", str(inputs), "--out", str(dest), "-q",
           "--config", str(make_config(work, "tm-runner")), "--to", "ru,kk-Latn"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if proc.returncode:
        sys.exit(f"run failed ({proc.returncode}):\n{proc.stderr}")
    return {f"runner/{k}": v for k, v in hashes(dest).items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--work", type=Path, default=Path("/tmp/ngo-golden"),
                    help="work folder (emptied first; fixed, so that paths in the records are stable)")
    ap.add_argument("--runner", action="store_true", help="also run the folder through `ngo-pipeline run`")
    ap.add_argument("--no-check", action="store_true",
                    help="leave the QA check stage out (to compare code whose QA checks were tuned meanwhile)")
    args = ap.parse_args()
    os.environ["NGO_PIPELINE_LANGID_CACHE"] = ""  # measure the models, not remembered scores
    work = args.work.resolve()
    shutil.rmtree(work, ignore_errors=True)
    inputs = work / "in"
    make_inputs(inputs)
    found = in_process(work, inputs, args.no_check)
    if args.runner:
        found.update(runner(work, inputs))
    for name, digest in sorted(found.items()):
        print(f"{digest}  {name}")
    formats = {Path(n).suffix for n in found}
    print(f"{len(found)} outputs; suffixes {' '.join(sorted(formats))}", file=sys.stderr)


if __name__ == "__main__":
    main()
