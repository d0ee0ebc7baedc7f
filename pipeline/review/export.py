"""`ngo-pipeline review OUT_DIR --export review.html`: one self-contained, read-only HTML file with
the document list and every document side by side (style and script inlined, no external assets,
no server), for sending to a colleague. Same templates as the app, so the same escaping."""
from __future__ import annotations

from pathlib import Path

from ..memory.human import now_iso
from .app import HERE, templates
from .overview import overview
from .store import RunStore
from .view import document_view


def export_html(out_dir: str | Path, dest: str | Path, memory=None) -> int:
    """Write the export to `dest` atomically; returns the number of documents in it."""
    from ..io.atomic import atomic_write

    store = RunStore(out_dir)
    listing = overview(store)
    views = []
    for row in listing["rows"]:  # the documents in the overview's order (most attention first)
        if row["id"]:
            record, _ = store.load(row["id"])
            views.append({"doc_id": row["id"], "doc": document_view(record, memory)})
            row["anchor"] = len(views)
    html = templates().get_template("export.html").render(
        static=True, token="", view=listing, views=views, out_dir=Path(out_dir).name, created=now_iso(),
        title=f"Review of {Path(out_dir).name}",
        css=(HERE / "static" / "review.css").read_text(encoding="utf-8"),
        js=(HERE / "static" / "review.js").read_text(encoding="utf-8"))
    atomic_write(Path(dest), html)
    return len(views)


__all__ = ["export_html"]
