"""A cursor over a source's lines that accounts for every line.

Extractors read a document through a :class:`Cursor`. Each line they use is marked as
consumed; :meth:`Cursor.finish` then fails on any non-blank line no extractor step took, so
no text of a document is ever skipped without notice.
"""

from __future__ import annotations

import re

from kinerja.errors import SourceError
from kinerja.ingest.records import Line
from kinerja.ingest.sources import Source


def clean(raw: str) -> str:
    """A line without the Markdown bold markers and surrounding white space of extraction."""
    return raw.replace("**", "").strip()


class Cursor:
    def __init__(self, source: Source):
        self.source = source
        self.lines = source.lines
        self.pos = 0  # 0-based index of the next line
        self._consumed: set[int] = set()

    # --- looking -------------------------------------------------------------------------
    @property
    def lineno(self) -> int:
        return self.pos + 1

    def at_end(self) -> bool:
        self.skip_blank()
        return self.pos >= len(self.lines)

    def skip_blank(self) -> None:
        while self.pos < len(self.lines) and not clean(self.lines[self.pos]):
            self.pos += 1

    def peek(self) -> Line | None:
        """The next non-blank line (cleaned), without taking it."""
        self.skip_blank()
        if self.pos >= len(self.lines):
            return None
        return Line(clean(self.lines[self.pos]), self.pos + 1)

    def peek_raw(self) -> str | None:
        return self.lines[self.pos] if self.pos < len(self.lines) else None

    # --- taking --------------------------------------------------------------------------
    def take(self) -> Line:
        line = self.peek()
        if line is None:
            raise self.error("unexpected end of file")
        self._consumed.add(self.pos)
        self.pos += 1
        return line

    def take_raw(self) -> tuple[int, str]:
        """The next line as it is (blank or not), for table readers that care about tabs."""
        number, raw = self.pos + 1, self.lines[self.pos]
        self._consumed.add(self.pos)
        self.pos += 1
        return number, raw

    def take_block(self) -> list[Line]:
        """Consecutive non-blank lines (a paragraph or a bold heading)."""
        block = [self.take()]
        while self.pos < len(self.lines) and clean(self.lines[self.pos]):
            block.append(self.take())
        return block

    def expect(self, pattern: str, what: str, flags: int = re.IGNORECASE) -> tuple[re.Match, Line]:
        line = self.peek()
        if line is None:
            raise self.error(f"unexpected end of file; expected {what}")
        m = re.fullmatch(pattern, line.text, flags)
        if not m:
            raise SourceError(
                self.source.path, line.line, f"expected {what}, found {line.text[:80]!r}"
            )
        self.take()
        return m, line

    def accept(self, pattern: str, flags: int = re.IGNORECASE) -> tuple[re.Match, Line] | None:
        line = self.peek()
        if line is None:
            return None
        m = re.fullmatch(pattern, line.text, flags)
        if not m:
            return None
        self.take()
        return m, line

    def until(self, pattern: str, flags: int = re.IGNORECASE) -> list[Line]:
        """Take lines up to (not including) the first that matches ``pattern``."""
        taken = []
        while (line := self.peek()) is not None and not re.fullmatch(pattern, line.text, flags):
            taken.append(self.take())
        return taken

    # --- ending --------------------------------------------------------------------------
    def error(self, reason: str, line: int | None = None) -> SourceError:
        return SourceError(self.source.path, self.lineno if line is None else line, reason)

    def finish(self) -> None:
        for index, raw in enumerate(self.lines):
            if clean(raw.replace("\t", "")) and index not in self._consumed:
                raise SourceError(
                    self.source.path,
                    index + 1,
                    f"text the layout does not account for: {clean(raw)[:80]!r}",
                )
