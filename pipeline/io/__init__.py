"""Reading documents from files and writing results (atomically, inside the output folder)."""
from .readers import SUPPORTED_SUFFIXES, ReadError, read_document
from .writers import output_paths, write_outputs

__all__ = ["SUPPORTED_SUFFIXES", "ReadError", "read_document", "output_paths", "write_outputs"]
