"""Errors that say which file, where, and what to do."""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """A problem with one input file; the rest of the corpus still builds.

    ``status`` is ``failed`` for a file that should have worked, ``skipped`` for one that is
    not a report at all (e.g. an HTML page saved with a .pdf name).
    """

    def __init__(self, path: Path | str, where: str, message: str, hint: str = "", status: str = "failed"):
        self.path = str(path)
        self.where = where
        self.message = message
        self.hint = hint
        self.status = status
        super().__init__(self.one_line())

    def __reduce__(self):
        return (type(self), (self.path, self.where, self.message, self.hint, self.status))

    def one_line(self) -> str:
        hint = f"; {self.hint}" if self.hint else ""
        return f"{self.path}: {self.where}: {self.message}{hint}"


class QueryError(Exception):
    """A named query that does not exist, or a query the store rejected."""


class GraphNotFoundError(Exception):
    """The --graph directory holds no built graph."""
