"""Executors: run a Pipeline over a folder of documents (local; Ray later)."""
