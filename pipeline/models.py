"""The one place where models are found and loaded.

A model reference in a config is either a catalog name (`pipeline/data/catalog.toml`: hub id, pinned
revision, licence) or a local folder. Catalog models live in the local store
(`$NGO_PIPELINE_MODELS`, default `models/store/` in the project) after `ngo-pipeline models pull`.
At run time nothing is downloaded: a missing model is a fast `ModelNotFound` naming the command
that fetches it. Weights load as safetensors unless the catalog entry allows `.bin`;
`trust_remote_code` is never set.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ModelNotFound

log = logging.getLogger(__name__)
PROJECT_ROOT = Path(__file__).resolve().parents[1]
CATALOG = Path(__file__).resolve().parent / "data" / "catalog.toml"
NLLB_CODES = {"en": "eng_Latn", "ru": "rus_Cyrl", "kk": "kaz_Cyrl"}
MANIFEST = "ngo-model.json"  # written by `models pull`: hub id and revision of the folder


@dataclass
class CatalogEntry:
    name: str
    hub_id: str
    revision: str
    arch: str  # "marian" | "nllb" | "bart" | "t5"
    task: str  # "translation" | "summarization"
    languages: list[str]
    license: str = "unknown"
    verified: bool = False
    allow_bin: bool = False
    ct2_compute_type: str = "int8"
    notes: str = ""
    params: str = ""  # parameter count as published ("600M"), "" when not read
    size_gb: float = 0.0  # fp32 weights on the hub, 0 when not read


@dataclass
class ModelRef:
    """A resolved model: where it is on disk and what it is (for cache keys and logs)."""

    name: str
    path: Path
    identity: str  # hub id@revision, or folder@content hash: part of every translation-memory key
    entry: CatalogEntry | None = None
    arch: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def allow_bin(self) -> bool:
        return bool(self.entry and self.entry.allow_bin)

    def ct2_dir(self, compute_type: str) -> Path:
        return self.path / f"ctranslate2-{compute_type}"


def catalog_path() -> Path:
    return Path(os.environ.get("NGO_PIPELINE_CATALOG", CATALOG))


def load_catalog(path: Path | None = None) -> dict[str, CatalogEntry]:
    path = path or catalog_path()
    if not path.exists():
        raise ModelNotFound(f"model catalog {path} not found (set NGO_PIPELINE_CATALOG to a catalog file)")
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    return {name: CatalogEntry(name=name, **body) for name, body in raw.get("models", {}).items()}


def load_presets(path: Path | None = None) -> dict[str, dict[str, str]]:
    """{"fast": {"en-ru": "opus-mt-en-ru", ...}, "quality": {...}}: the catalog's [presets]."""
    path = path or catalog_path()
    if not path.exists():
        raise ModelNotFound(f"model catalog {path} not found (set NGO_PIPELINE_CATALOG to a catalog file)")
    return {k: dict(v) for k, v in tomllib.loads(path.read_text(encoding="utf-8")).get("presets", {}).items()}


def store_dir() -> Path:
    """`$NGO_PIPELINE_MODELS`; in a source checkout `models/store/`; otherwise a per-user folder
    (`~/.cache/ngo-pipeline/models`: an installed package never writes into site-packages)."""
    if "NGO_PIPELINE_MODELS" in os.environ:
        return Path(os.environ["NGO_PIPELINE_MODELS"])
    if (PROJECT_ROOT / "pyproject.toml").exists() and (PROJECT_ROOT / "models").is_dir():
        return PROJECT_ROOT / "models" / "store"
    return Path.home() / ".cache" / "ngo-pipeline" / "models"


def hub_reachable(timeout: float = 5.0) -> str | None:
    """None when the model hub answers, else why not (one quick try instead of minutes of retries)."""
    import socket
    from urllib.parse import urlparse

    host = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co")).hostname or "huggingface.co"
    if os.environ.get("HF_HUB_OFFLINE", "") not in ("", "0"):
        return "HF_HUB_OFFLINE is set"
    try:
        socket.create_connection((host, 443), timeout=timeout).close()
        return None
    except OSError as e:
        return f"{host} cannot be reached ({e.strerror or e})"


def _detect_arch(path: Path) -> str:
    try:
        cfg = json.loads((path / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ""
    mt = cfg.get("model_type", "")
    if mt == "m2m_100":
        tok = {}
        try:
            tok = json.loads((path / "tokenizer_config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
        return "nllb" if "Nllb" in str(tok.get("tokenizer_class", "")) else "m2m100"
    return mt


def _folder_identity(path: Path) -> str:
    manifest = path / MANIFEST
    if manifest.exists():
        m = json.loads(manifest.read_text(encoding="utf-8"))
        return f"{m['hub_id']}@{m['revision']}"
    h = hashlib.sha256()
    for f in sorted(path.glob("*")):
        if f.is_file() and f.suffix in (".json", ".safetensors", ".spm", ".model", ".bin"):
            st = f.stat()
            h.update(f"{f.name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return f"{path.name}@{h.hexdigest()[:16]}"


def resolve(ref: str, base_dir: Path | None = None) -> ModelRef:
    """A catalog name or a local folder -> ModelRef. Raises ModelNotFound (never downloads)."""
    candidate = Path(ref).expanduser()
    if not candidate.is_absolute() and base_dir is not None:
        candidate = base_dir / candidate
    if candidate.is_dir():
        if not (candidate / "config.json").exists():
            raise ModelNotFound(f"{candidate}: not a model folder (no config.json); give a model folder "
                                "or a catalog name (ngo-pipeline models list)")
        return ModelRef(name=ref, path=candidate.resolve(), identity=_folder_identity(candidate),
                        arch=_detect_arch(candidate))
    catalog = load_catalog()
    entry = catalog.get(ref)
    if entry is None:
        raise ModelNotFound(f"model {ref!r} is neither a folder nor a catalog name; "
                            f"catalog: {', '.join(sorted(catalog))}")
    path = store_dir() / ref
    if not (path / "config.json").exists():
        raise ModelNotFound(
            f"model {ref!r} ({entry.hub_id} @ {entry.revision[:12]}) is not in the local store {path}. "
            f"On a connected machine run: ngo-pipeline models pull {ref}  "
            f"(then copy {path} here, or set NGO_PIPELINE_MODELS)", model=ref)
    return ModelRef(name=ref, path=path, identity=f"{entry.hub_id}@{entry.revision}", entry=entry,
                    arch=entry.arch)


# -- loading (transformers and CTranslate2), each model once per process -----------------------
_LOADED: dict[tuple, Any] = {}
_LOCK = threading.Lock()


def _quiet_transformers() -> None:
    """The library logs; it draws no progress bars. Token-length warnings are expected: the
    translators count tokens to split long sentences before anything reaches the model."""
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()


def cached(key: tuple, build):
    """`build()` once per process for `key` (loaded models, tokenizers)."""
    with _LOCK:
        if key not in _LOADED:
            _LOADED[key] = build()
        return _LOADED[key]


def load_tokenizer(ref: ModelRef):
    from transformers import AutoTokenizer

    _quiet_transformers()

    key = ("tok", str(ref.path))
    with _LOCK:
        if key not in _LOADED:
            _LOADED[key] = AutoTokenizer.from_pretrained(str(ref.path), local_files_only=True)
        return _LOADED[key]


def load_hf_seq2seq(ref: ModelRef, device: str = "cpu", dtype: str = "float32"):
    """(tokenizer, model) through `from_pretrained` on the local folder, in eval mode."""
    import torch
    from transformers import AutoModelForSeq2SeqLM

    key = ("hf", str(ref.path), device, dtype)
    tok = load_tokenizer(ref)
    with _LOCK:
        if key not in _LOADED:
            has_safetensors = any(ref.path.glob("*.safetensors"))
            if not has_safetensors and not ref.allow_bin:
                raise ModelNotFound(f"{ref.path}: no .safetensors weights, and the catalog entry does "
                                    "not allow .bin (pickle) weights")
            if not has_safetensors:
                log.warning("%s: loading .bin (pickle) weights, allowed by the catalog", ref.name)
            model = AutoModelForSeq2SeqLM.from_pretrained(
                str(ref.path), local_files_only=True, use_safetensors=has_safetensors,
                dtype=getattr(torch, dtype), trust_remote_code=False)
            model.eval().to(device)
            _LOADED[key] = model
            log.info("loaded %s (%s) on %s", ref.name, ref.identity, device)
        return tok, _LOADED[key]


def load_ct2(ref: ModelRef, compute_type: str, device: str = "cpu", threads: int = 0):
    import ctranslate2

    path = ref.ct2_dir(compute_type)
    key = ("ct2", str(path), device)
    with _LOCK:
        if key not in _LOADED:
            _LOADED[key] = ctranslate2.Translator(str(path), device=device, compute_type=compute_type,
                                                  intra_threads=threads)
        return _LOADED[key]


def has_ct2(ref: ModelRef, compute_type: str) -> bool:
    return (ref.ct2_dir(compute_type) / "model.bin").exists()


# -- store management (CLI: models list / pull / convert) ---------------------------------------
def pull(name: str, allow_unpinned: bool = False) -> Path:
    """Download the pinned revision of a catalog model into the store (needs a network)."""
    import re

    from huggingface_hub import snapshot_download

    catalog = load_catalog()
    if name not in catalog:
        raise ModelNotFound(f"{name!r} is not in the catalog; catalog: {', '.join(sorted(catalog))}")
    entry = catalog[name]
    if not re.fullmatch(r"[0-9a-f]{40}", entry.revision) and not allow_unpinned:
        raise ModelNotFound(f"{name}: revision {entry.revision!r} is not a pinned commit; pin it in "
                            f"{catalog_path()} or pass --allow-unpinned")
    dest = store_dir() / name
    patterns = ["*.json", "*.safetensors", "*.spm", "*.model", "*.txt", "*.bpe.model"]
    if entry.allow_bin:
        patterns.append("*.bin")
    snapshot_download(repo_id=entry.hub_id, revision=entry.revision, local_dir=str(dest),
                      allow_patterns=patterns)
    (dest / MANIFEST).write_text(json.dumps({"hub_id": entry.hub_id, "revision": entry.revision}))
    return dest


def convert(ref: ModelRef, compute_type: str) -> Path:
    """Convert a transformers folder to CTranslate2 (offline: the folder holds the tokenizer)."""
    from ctranslate2.converters import TransformersConverter

    _quiet_transformers()
    out = ref.ct2_dir(compute_type)
    tmp = out.with_name(out.name + ".tmp")
    TransformersConverter(str(ref.path), low_cpu_mem_usage=True).convert(
        str(tmp), quantization=compute_type, force=True)
    if out.exists():
        import shutil

        shutil.rmtree(out)
    os.replace(tmp, out)
    return out
