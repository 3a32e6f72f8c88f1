"""linker's version: the one place it is written (``pyproject.toml`` reads it from here for
the package's metadata, so the two never disagree; reading it back through
``importlib.metadata`` would cost every start ~35 ms)."""

__version__ = "0.1.0"
