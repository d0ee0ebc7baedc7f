"""The exceptions the library raises, in one place for callers:

    from pipeline.errors import ConfigError, ReadError, ModelNotFound, StageError, PipelineError

- `ConfigError`: a config file with problems (`.problems`: file, section, key, message);
- `ReadError`: a document that cannot be read (`.path`, `.reason`);
- `ModelNotFound`: a model missing from the local store (the message names the pull command);
- `StageError`: a stage could not process a document (a batch records it and goes on);
- `PipelineError`: a request the pipeline cannot serve (targets without a translate stage...).
"""
from __future__ import annotations

from .config import ConfigError, Problem
from .io import ReadError
from .models import ModelNotFound
from .stage import StageError


class PipelineError(Exception):
    """A request this pipeline cannot serve as configured."""


__all__ = ["ConfigError", "Problem", "ReadError", "ModelNotFound", "StageError", "PipelineError"]
