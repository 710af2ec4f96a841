"""Target cells as printed -> value, unit and comparator (kinerja.ingest.targets).

The seed spellings come first, then spellings the seeds do not have but other documents of
the same kind do. Bad cells must fail with a message that says what a target looks like.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kinerja.ingest.targets import (
    TargetParseError,
    canonical_decimal,
    parse_number,
    parse_target,
)

# (text as printed, value, unit notation, comparator)
TARGETS = [
    # spellings in the seeds
    ("3,1 Indeks", "3.1", "indeks", "="),
    ("76.75 (indeks)", "76.75", "indeks", "="),
    ("88 %", "88", "persen", "="),
    ("20%", "20", "persen", "="),
    ("3,34 (indeks)", "3.34", "indeks", "="),
    ("77 (Indeks)", "77", "indeks", "="),
    ("83 Indeks", "83", "indeks", "="),
    ("3,30 (Indeks)", "3.30", "indeks", "="),
    ("0 UPT", "0", "upt", "="),
    ("1 UPT", "1", "upt", "="),
    ("200 Orang", "200", "orang", "="),
    ("4 Instansi Pemerintah", "4", "instansi-pemerintah", "="),
    ("3 Rekomendasi", "3", "rekomendasi", "="),
    ("1 Kegiatan", "1", "kegiatan", "="),
    # variants not in the seeds
    ("75,5%", "75.5", "persen", "="),
    ("≥ 80 %", "80", "persen", ">="),
    ("≥80%", "80", "persen", ">="),
    ("≤ 5 Hari", "5", "hari", "<="),
    (">= 90 %", "90", "persen", ">="),
    ("Minimal 3,5 Indeks", "3.5", "indeks", ">="),
    ("min. 80 persen", "80", "persen", ">="),
    ("Maksimal 2 Kali", "2", "kali", "<="),
    ("1.000 Orang", "1000", "orang", "="),  # thousands separator in a counted unit
    ("1.500.000 Orang", "1500000", "orang", "="),
    ("1.250,5 Orang", "1250.5", "orang", "="),
    ("0,5 %", "0.5", "persen", "="),
    ("12 Kab/Kota", "12", "kabupaten-kota", "="),
    ("  90 %  ", "90", "persen", "="),
]


@pytest.mark.parametrize(("text", "value", "unit", "comparator"), TARGETS)
def test_parse_target(text, value, unit, comparator):
    parsed = parse_target(text)
    assert parsed.value == Decimal(value)
    assert parsed.unit == unit
    assert parsed.comparator == comparator
    assert parsed.text == text.strip()


@pytest.mark.parametrize(
    ("raw", "counted", "value"),
    [
        ("3,1", False, "3.1"),
        ("76.75", False, "76.75"),
        ("88", False, "88"),
        ("1.000", True, "1000"),
        ("1.000", False, "1.000"),
        ("1.000,5", False, "1000.5"),
        ("80.", False, "80"),  # a full stop after the number ends the sentence
    ],
)
def test_parse_number(raw, counted, value):
    assert parse_number(raw, counted=counted) == Decimal(value)


def test_zero_target_is_kept_as_zero():
    """ "0 UPT" is a real target (build no new prison this year), not a missing one."""
    parsed = parse_target("0 UPT")
    assert parsed.value == 0
    assert canonical_decimal(parsed.value) == "0.0"


def test_dot_is_a_decimal_point_outside_counted_units():
    # "76.75 (indeks)" and "1.000 %" are fractions: an index or a percentage can be one
    assert parse_target("76.75 (indeks)").value == Decimal("76.75")
    assert parse_target("1.000 %").value == Decimal("1")
    # the same digits before a counted unit are a thousand people
    assert parse_target("1.000 Orang").value == Decimal("1000")


# (text, words the message must contain)
BAD_TARGETS = [
    ("", ["a number followed by a unit"]),
    ("   ", ["a number followed by a unit"]),
    ("tinggi", ["'tinggi'", "a number followed by a unit"]),
    ("88 kg", ["unknown unit", "'kg'", "persen", "indeks"]),
    ("3,1,2 Indeks", ["'3,1,2'", "not a number"]),
    ("1.2.3 Orang", ["'1.2.3'", "not a number"]),
    ("88", ["no unit"]),
    ("3,1", ["no unit"]),
    ("%", ["a number followed by a unit"]),
    ("-5 %", ["a number followed by a unit"]),
    ("sekitar 80 %", ["a number followed by a unit"]),
]


@pytest.mark.parametrize(("text", "expected"), BAD_TARGETS)
def test_bad_target_says_what_was_expected(text, expected):
    with pytest.raises(TargetParseError) as info:
        parse_target(text)
    message = str(info.value)
    assert f"target {text!r}" in message
    for words in expected:
        assert words in message


def test_target_parse_error_is_a_value_error():
    # callers that only know ValueError (the CLI's error mapping) still catch it
    assert issubclass(TargetParseError, ValueError)


@pytest.mark.parametrize(
    ("value", "lexical"),
    [
        ("3.1", "3.1"),
        ("3.10", "3.1"),
        ("76.750", "76.75"),
        ("100", "100.0"),
        ("100.00", "100.0"),
        ("1E+3", "1000.0"),
        ("1000", "1000.0"),
        ("0", "0.0"),
        ("0.00", "0.0"),
        ("0.5", "0.5"),
        ("1250.5", "1250.5"),
    ],
)
def test_canonical_decimal(value, lexical):
    assert canonical_decimal(Decimal(value)) == lexical


@pytest.mark.parametrize("text", [t[0] for t in TARGETS])
def test_canonical_decimal_round_trips_every_parsed_value(text):
    value = parse_target(text).value
    lexical = canonical_decimal(value)
    assert Decimal(lexical) == value
    assert "E" not in lexical and "e" not in lexical
    assert "." in lexical
