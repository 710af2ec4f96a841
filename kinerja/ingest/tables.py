"""The indicator table "No | Sasaran Kegiatan | Indikator | Target" as PDF text gives it.

Rows are tab-separated; the page layout breaks them: a blank line or a repeated header row
("NO  SASARAN KEGIATAN ...", then "(1) (2) (3) (4)") marks a page break, and the text of a
row can continue after one. A row without a number whose first text starts in lower case
right after a page break continues the sasaran or indicator before it; any other row must
be complete. Budget program headings ("PROGRAM ...", one or two lines) group the sasaran
that follow them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kinerja.ingest.cursor import Cursor, clean
from kinerja.ingest.records import Goal, Indicator, Line, Target
from kinerja.ingest.targets import TargetParseError, parse_target
from kinerja.ingest.text import join_split

COLUMNS = ("No", "Sasaran Kegiatan", "Indikator Kinerja", "Target")
_HEADER = re.compile(r"no\.?", re.IGNORECASE)
_COLUMN_NUMBERS = re.compile(r"\(\d+\)")
_GOAL_NUMBER = re.compile(r"(\d+)\.?")
_NUMBERED_INDICATOR = re.compile(r"(\d+)\.\s+(.+)")
_PROGRAM = re.compile(r"program\b.*", re.IGNORECASE)


def is_header(cells: list[str]) -> bool:
    return len(cells) >= 2 and bool(_HEADER.fullmatch(cells[0])) and "sasaran" in cells[1].lower()


@dataclass
class _State:
    program: Line | None = None
    goal: Goal | None = None
    after_break: bool = True
    header_seen: bool = False


def read_table(cur: Cursor, programs: bool) -> list[Goal]:
    """Read goals from the cursor up to the first line that is not part of the table.

    ``programs``: whether "PROGRAM ..." headings may group the goals.
    """
    goals: list[Goal] = []
    seen: set[tuple[str, str]] = set()
    st = _State()
    while (raw := cur.peek_raw()) is not None:
        text = clean(raw)
        if not text.replace("\t", "").strip():
            cur.take_raw()
            st.after_break = True
            continue
        if "\t" not in raw:
            if programs and _PROGRAM.fullmatch(text):
                st.program = _read_program(cur)
                st.goal, st.after_break = None, True
                continue
            break  # the table has ended
        number, raw = cur.take_raw()
        cells = [c.strip() for c in raw.split("\t")]
        while len(cells) > 4 and not cells[-1]:
            cells.pop()
        if is_header(cells):
            st.header_seen, st.after_break = True, True
            continue
        if all(_COLUMN_NUMBERS.fullmatch(c) for c in cells if c):
            st.after_break = True
            continue
        if not st.header_seen:
            raise cur.error(f"table row before the table header ({' | '.join(COLUMNS)})", number)
        if len(cells) != 4:
            raise cur.error(
                f"table row has {len(cells)} cell(s); expected 4 "
                f"({' | '.join(COLUMNS)}) separated by tabs",
                number,
            )
        _read_row(cur, number, cells, st, goals, seen)
        st.after_break = False
    for goal in goals:
        if not goal.indicators:
            raise cur.error(f"sasaran {goal.notation} has no indicator", goal.line)
    return goals


def _read_program(cur: Cursor) -> Line:
    block = cur.take_block()
    return Line(" ".join(line.text for line in block), block[0].line)


def _continues(text: str, st: _State) -> bool:
    return st.after_break and text[:1].islower()


def _read_row(cur, number, cells, st: _State, goals, seen) -> None:
    no, goal_text, indicator_text, target_text = cells
    if no:
        m = _GOAL_NUMBER.fullmatch(no)
        if not m:
            raise cur.error(f"expected a sasaran number in the first cell, found {no!r}", number)
        if not goal_text:
            raise cur.error(f"sasaran {no} has an empty 'Sasaran Kegiatan' cell", number)
        key = (st.program.text if st.program else "", m.group(1))
        if key in seen:
            raise cur.error(
                f"sasaran number {m.group(1)} appears twice"
                + (" in this program" if st.program else ""),
                number,
            )
        seen.add(key)
        st.goal = Goal(m.group(1), goal_text, number, st.program)
        goals.append(st.goal)
        if not indicator_text or not target_text:
            missing = "indicator" if not indicator_text else "target"
            raise cur.error(
                f"sasaran {no} has no {missing} cell; expected "
                "an indicator and its target on the sasaran's first row",
                number,
            )
        _add_indicator(cur, number, st.goal, indicator_text, target_text)
        return
    if st.goal is None:
        raise cur.error("row without a sasaran number before the first sasaran", number)
    if goal_text:
        if not _continues(goal_text, st):
            raise cur.error(
                f"text {goal_text[:60]!r} in the sasaran column of a row without "
                "a number; expected a number, or a continuation after a page break",
                number,
            )
        st.goal.text = join_split(st.goal.text, goal_text)
    if indicator_text and target_text:
        _add_indicator(cur, number, st.goal, indicator_text, target_text)
    elif indicator_text:
        last = st.goal.indicators[-1] if st.goal.indicators else None
        if last is None or not _continues(indicator_text, st):
            raise cur.error(
                f"indicator {indicator_text[:60]!r} has no target cell; expected "
                "a target such as '88 %'",
                number,
            )
        last.text = join_split(last.text, indicator_text)
    elif target_text:
        raise cur.error(f"target {target_text!r} has no indicator cell", number)


def _add_indicator(cur, number, goal: Goal, text: str, target_text: str) -> None:
    m = _NUMBERED_INDICATOR.fullmatch(text)
    notation, text = (m.group(1), m.group(2)) if m else (str(len(goal.indicators) + 1), text)
    if any(i.notation == notation for i in goal.indicators):
        raise cur.error(
            f"indicator number {notation} appears twice in sasaran {goal.notation}", number
        )
    try:
        parsed = parse_target(target_text)
    except TargetParseError as e:
        raise cur.error(str(e), number) from None
    goal.indicators.append(Indicator(notation, text, number, Target(parsed, number)))
