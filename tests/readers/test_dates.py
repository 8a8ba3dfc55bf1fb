from __future__ import annotations

import pytest

from refkit.model import Date
from refkit.readers.dates import parse_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2015", Date(2015)),
        ("2015-05", Date(2015, 5)),
        ("2015-05-02", Date(2015, 5, 2)),
        ("May 2015", Date(2015, 5)),
        ("July 2, 2017", Date(2017, 7, 2)),
        ("  September   13,  2001 ", Date(2001, 9, 13)),
        ("Sept. 3 2001", Date(2001, 9, 3)),
        ("February 29, 2016", Date(2016, 2, 29)),
    ],
)
def test_dates_as_the_registry_writes_them(text: str, expected: Date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["", "2015-13", "2015-02-30", "Smarch 2015", "June 31, 2015", "15-05-02", "soon"]
)
def test_what_is_not_a_date(text: str) -> None:
    assert parse_date(text) is None
