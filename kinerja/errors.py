"""The few domain errors of kinerja. Edges (CLI, HTTP) map them to messages in one place."""

from __future__ import annotations

from pathlib import Path


class KinerjaError(Exception):
    """Base of every error kinerja raises on purpose."""


class SourceError(KinerjaError):
    """A source document cannot be read as what it claims to be.

    Always names the file, the (1-based) line where the problem is (0 when it concerns the
    whole file), and what was expected there.
    """

    def __init__(self, file: Path | str, line: int, reason: str):
        self.file = str(file)
        self.line = line
        self.reason = reason
        where = f"{self.file}:{line}" if line else self.file
        super().__init__(f"{where}: {reason}")

    def __reduce__(self):  # raised in ingestion worker processes, re-raised in the build
        return type(self), (self.file, self.line, self.reason)


class ValidationFailed(KinerjaError):
    """The built graph violates the shapes; carries the readable report."""

    def __init__(self, report: str, violations: int):
        self.report = report
        self.violations = violations
        super().__init__(f"the graph violates the shapes ({violations} violation(s))")

    def __reduce__(self):
        return type(self), (self.report, self.violations)


class StoreError(KinerjaError):
    """The store is missing, locked or unusable."""


class QueryRejected(KinerjaError):
    """A query is not legal SPARQL or is refused by the query policy."""


class QueryTimeout(KinerjaError):
    """A query ran past its time limit and was stopped."""


class UnknownResource(KinerjaError):
    """No resource with that IRI is in the graph."""
