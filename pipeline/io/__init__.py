"""Documents in and out: one table of formats, one module per format, atomic writes inside the
output folder.

    formats.py   FORMATS: per format its suffixes, reader (-> one ReadResult), writer, output
                 suffix and size limit
    read_document(path) -> Document      readers.py (limits, the format's reader, read notes as flags)
        text.py (.txt decoding)  markdown.py  html.py  docx_read.py  odt.py  pdf.py  legacy.py (.doc)
    write_outputs(doc, out_dir, rel)     writers.py (paths, the format's writer, JSON record), review_sheet.py
        markdown_write.py  html_write.py  docx_write.py (.docx, .doc, and new .docx for .pdf)  odt_write.py
    inline.py    carries links, emphasis and Word runs from a paragraph's source onto its translation
    package.py   bounded zip reads and entity-free XML parsing (.docx, .odt)
    errors.py    ReadError and the size limits;  atomic.py  atomic_write, safe_join
"""
from .errors import ReadError
from .readers import SUPPORTED_SUFFIXES, read_document
from .writers import output_paths, write_outputs

__all__ = ["SUPPORTED_SUFFIXES", "ReadError", "read_document", "output_paths", "write_outputs"]
