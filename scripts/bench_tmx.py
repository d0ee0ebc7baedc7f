"""Prints TMX import/export speed and fuzzy-lookup speed of the human translation memory.

    python scripts/bench_tmx.py [--units 50000]

Writes a synthetic TMX 1.4 (three languages per unit, inline codes) to a temporary folder, imports
it into a fresh memory, exports it again, and times fuzzy lookups against the imported entries.
The sentences are generated placeholders: this measures speed, not translation.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.memory.human import HumanMemory  # noqa: E402
from pipeline.memory.tmx import export_tmx, import_tmx  # noqa: E402

WORDS = ("grant programme youth civil society forum training report region water school women "
         "health rights partners project results volunteers Almaty Astana budget").split()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--units", type=int, default=50_000)
    ap.add_argument("--lookups", type=int, default=200)
    args = ap.parse_args()
    rnd = random.Random(1)
    sentences = [" ".join(rnd.choice(WORDS) for _ in range(rnd.randint(6, 18))) + f" {i}."
                 for i in range(args.units)]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.tmx"
        with open(path, "w", encoding="utf-8") as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="en-US" '
                    'segtype="sentence" o-tmf="x" adminlang="en" datatype="plaintext" creationtool="bench" '
                    'creationtoolversion="1"/><body>\n')
            for i, s in enumerate(sentences):
                f.write(f'<tu creationid="u{i % 7}" creationdate="20250101T000000Z"><prop type="x-n">{i}</prop>'
                        f'<tuv xml:lang="en-US"><seg><bpt i="1">&lt;b&gt;</bpt>{s}<ept i="1">&lt;/b&gt;</ept></seg></tuv>'
                        f'<tuv xml:lang="ru-RU"><seg>ru {s}</seg></tuv><tuv xml:lang="kk-KZ"><seg>kk {s}</seg></tuv></tu>\n')
            f.write("</body></tmx>\n")
        size = path.stat().st_size / 1e6
        memory = HumanMemory(Path(tmp) / "tm.sqlite")
        t0 = time.perf_counter()
        stats = import_tmx(path, memory, ["en", "ru", "kk"])
        t_import = time.perf_counter() - t0
        t0 = time.perf_counter()
        written, _ = export_tmx(memory, Path(tmp) / "out.tmx")
        t_export = time.perf_counter() - t0
        queries = [s.replace(" ", "  ", 1)[:-3] + "x." for s in rnd.sample(sentences, args.lookups)]
        memory.fuzzy("en", "ru", queries[0])  # builds the index
        t0 = time.perf_counter()
        found = sum(bool(memory.fuzzy("en", "ru", q)) for q in queries)
        t_fuzzy = (time.perf_counter() - t0) / len(queries)
    print(f"TMX import: {stats.units:,} units ({size:.1f} MB, {stats.written:,} entries) in {t_import:.2f} s "
          f"= {stats.units / t_import:,.0f} units/s")
    print(f"TMX export: {written:,} entries in {t_export:.2f} s")
    print(f"fuzzy lookup (>= 80%) among {args.units:,} en-ru entries: {t_fuzzy * 1000:.1f} ms per sentence "
          f"({found}/{len(queries)} found a match)")


if __name__ == "__main__":
    main()
