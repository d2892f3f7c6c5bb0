"""The tracker's version (one place; read by the package, the data build and the CLI)."""

__version__ = "0.1.0"
