"""OpenDocument text (.odt) out: the source package with the text of each paragraph replaced (page
headers and footers in styles.xml included; the same grouping and placement as `docx_write`: spans,
links, notes, frames and spaces stay where the words they belonged to went). Other parts are copied
byte for byte; the mimetype entry stays first and uncompressed, as ODF requires."""
from __future__ import annotations

import io
import zipfile

from .docx_write import rewrite_block
from .inline import original
from .odt import odt_blocks
from .package import Package


def render_odt(doc, lang: str) -> tuple[bytes, list[int]]:
    from lxml import etree

    pkg = Package(doc.source_path, ".odt")
    try:
        root = pkg.xml("content.xml")
        styles = pkg.xml("styles.xml") if "styles.xml" in pkg else None
        blocks = odt_blocks(root, styles)
        if len(blocks) != len(doc.paragraphs) or any(
                b.plain.strip() != original(p) for b, p in zip(blocks, doc.paragraphs, strict=False)):
            raise ValueError(f"{doc.source_path}: the file changed since it was read (paragraphs differ)")
        approx = [p.index for b, p in zip(blocks, doc.paragraphs, strict=True) if not rewrite_block(b, p, lang)]
        changed = {b.part for b, p in zip(blocks, doc.paragraphs, strict=True) if p.translation(lang) != original(p)}
        roots = {"content.xml": root, "styles.xml": styles}
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            for info in pkg.zip.infolist():
                data = pkg.read(info.filename)
                if info.filename in changed:
                    data = etree.tostring(roots[info.filename], xml_declaration=True, encoding="UTF-8")
                z.writestr(info, data, compress_type=info.compress_type)
        return out.getvalue(), approx
    finally:
        pkg.close()
