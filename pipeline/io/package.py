"""Zip packages (.docx, .odt) opened defensively: entry count and declared sizes checked before
anything is inflated, every part inflated in chunks under a hard cap (zip headers can lie), and XML
parsed without entities or network access."""
from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path

from .errors import MAX_EXPANDED, MAX_PART, ReadError

MAX_ENTRIES = 2000
MAX_RATIO = 200  # declared expanded size / compressed size, per entry over 1 MiB
_CHUNK = 1 << 16


def xml_parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=False)


class Package:
    """A zip package with bounded reads: `read(name)` inflates at most MAX_PART bytes of one part and
    MAX_EXPANDED bytes in all, whatever the headers declare."""

    def __init__(self, path: Path, kind: str = ".docx"):
        self.path, self.kind = Path(path), kind
        try:
            self.zip = zipfile.ZipFile(self.path)
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as e:
            raise ReadError(path, f"not a valid {kind} (zip) file: {e}") from None
        if len(infos) > MAX_ENTRIES:
            raise ReadError(path, f"refused: {len(infos)} archive entries (limit {MAX_ENTRIES})")
        total = sum(i.file_size for i in infos)
        if total > MAX_EXPANDED:
            raise ReadError(path, f"refused: archive expands to {total:,} bytes (limit {MAX_EXPANDED:,}); "
                                  "possible zip bomb")
        for i in infos:
            if i.compress_size and i.file_size / i.compress_size > MAX_RATIO and i.file_size > 1024 * 1024:
                raise ReadError(path, f"refused: entry {i.filename} has compression ratio "
                                      f"{i.file_size // i.compress_size}:1; possible zip bomb")
        self.names = [i.filename for i in infos]
        self.inflated = 0

    def __contains__(self, name: str) -> bool:
        return name in self.names

    def read(self, name: str) -> bytes:
        chunks, size = [], 0
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            raise ReadError(self.path, f"damaged {self.kind} file: part {name} is missing") from None
        empty = {zipfile.ZIP_STORED: 0, zipfile.ZIP_DEFLATED: 2}.get(info.compress_type, 0)
        if info.file_size == 0 and info.compress_size > empty:  # read() would return b"" unchecked
            raise ReadError(self.path, f"damaged or crafted {self.kind} file: the zip headers declare part {name} "
                                       f"as 0 bytes, but it holds {info.compress_size:,} compressed bytes")
        try:
            with self.zip.open(name) as f:
                while chunk := f.read(_CHUNK):
                    size += len(chunk)
                    self.inflated += len(chunk)
                    if size > MAX_PART or self.inflated > MAX_EXPANDED:
                        raise ReadError(self.path, f"refused: part {name} inflates beyond the limit "
                                                   f"({min(MAX_PART, MAX_EXPANDED):,} bytes); possible zip bomb")
                    chunks.append(chunk)
        except zipfile.BadZipFile as e:
            if "CRC" in str(e):  # Python stops at the declared size, so a lying size shows up here
                raise ReadError(self.path, f"damaged or crafted {self.kind} file: part {name} does not match the "
                                           f"size ({info.file_size:,} bytes) or checksum its zip headers declare"
                                ) from None
            raise ReadError(self.path, f"damaged {self.kind} file: cannot inflate {name}: {e}") from None
        except (OSError, EOFError, ValueError, KeyError) as e:
            raise ReadError(self.path, f"damaged {self.kind} file: cannot inflate {name}: {e}") from None
        except RuntimeError as e:  # encrypted entries
            raise ReadError(self.path, f"cannot read {name}: {e}") from None
        return b"".join(chunks)

    def xml(self, name: str):
        from lxml import etree

        try:
            return etree.fromstring(self.read(name), xml_parser())
        except etree.XMLSyntaxError as e:
            raise ReadError(self.path, f"damaged {self.kind} file: {name} is not well-formed XML: {e}") from None

    def close(self) -> None:
        self.zip.close()


_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def relationships(pkg: Package, part: str) -> list[tuple[str, str, str, str]]:
    """(id, type, absolute target part, target mode) for each relationship of `part` ('' = package)."""
    folder, base = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", base + ".rels")
    if rels_name not in pkg:
        return []
    out = []
    for rel in pkg.xml(rels_name).iter(_REL_NS + "Relationship"):
        target, mode = rel.get("Target", ""), rel.get("TargetMode", "Internal")
        if mode != "External":
            target = posixpath.normpath(target.lstrip("/") if target.startswith("/")
                                        else posixpath.join(folder, target))
        out.append((rel.get("Id", ""), rel.get("Type", ""), target, mode))
    return out
