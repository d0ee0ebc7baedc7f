"""Translation memory: machine output and human translations in one SQLite file; TMX exchange."""
from .sqlite import TranslationMemory, open_memory

__all__ = ["TranslationMemory", "open_memory"]
