"""The exceptions the library raises, defined here, at the bottom of the layers, so that every
part raises them by importing down (nothing is re-exported upward):

    from pipeline.errors import ConfigError, ReadError, ModelNotFound, StageError, PipelineError

- `ConfigError`: a config file with problems (`.problems`: `Problem`s with file, section, key, message);
- `ReadError`: a document that cannot be read (`.path`, `.reason`);
- `ModelNotFound`: a model missing from the local store (the message names the pull command);
- `StageError`: a stage could not process a document (a batch records it and goes on);
- `PipelineError`: a request the pipeline cannot serve (targets without a translate stage...).

The modules that raise them keep their old names too (`pipeline.config.ConfigError` is this class).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class Problem:
    """One problem of a config file."""

    file: str
    section: str
    key: str | None
    message: str

    def __str__(self) -> str:
        where = f"[{self.section}]" + (f" {self.key}" if self.key else "")
        return f"{self.file}: {where}: {self.message}"


class ConfigError(Exception):
    """A config file with problems, every one of them in `problems`."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class ReadError(Exception):
    """A file that cannot be read: `path` and a `reason` a person can act on."""

    def __init__(self, path: Path | str, reason: str):
        self.path, self.reason = Path(path), reason
        super().__init__(f"{path}: {reason}")


class ModelNotFound(Exception):
    """A model that is not in the local store (or a folder that is not a model). `model` is the
    catalog name to pull, when there is one."""

    def __init__(self, message: str, model: str | None = None):
        super().__init__(message)
        self.model = model


class StageError(Exception):
    """A stage could not process a document (the batch runner records it and goes on)."""


class PipelineError(Exception):
    """A request this pipeline cannot serve as configured."""


__all__ = ["ConfigError", "Problem", "ReadError", "ModelNotFound", "StageError", "PipelineError"]
