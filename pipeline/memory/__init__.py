"""Translation memory: the SQLite store of translated segments."""
from .sqlite import TranslationMemory

__all__ = ["TranslationMemory"]
