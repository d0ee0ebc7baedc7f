"""Documents in and out: one module per format, atomic writes inside the output folder.

    read_document(path) -> Document          readers.py (dispatch), text.py, markdown.py, html.py,
                                              docx_read.py, pdf.py, odt.py, legacy.py (.doc)
    write_outputs(doc, out_dir, rel)          writers.py (paths, JSON record, dispatch), docx_write.py,
                                              markdown.py, html.py, review_sheet.py
    inline.py    carries links/bold/Word runs from a paragraph's source onto its translation
    package.py   bounded zip reads and entity-free XML parsing (.docx, .odt)
    atomic.py    atomic_write, safe_join
"""
from .errors import ReadError
from .readers import SUPPORTED_SUFFIXES, read_document
from .writers import output_paths, write_outputs

__all__ = ["SUPPORTED_SUFFIXES", "ReadError", "read_document", "output_paths", "write_outputs"]
