"""The stages, one module each; built by name through `pipeline.registry` (see its table)."""
