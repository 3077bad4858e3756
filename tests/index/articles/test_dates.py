from __future__ import annotations

import pytest

from index.articles.dates import display_date, find_date


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Saturday, Oct 10, 2015,12:31 IST By Metrovaartha A A A", "2015-10-10T12:31:00+05:30"),
        ("10 October 2015", "2015-10-10"),
        ("2015-10-10", "2015-10-10"),
        ("March 3rd, 2021 5:30 pm EST", "2021-03-03T17:30:00-05:00"),
        ("Published Jan. 5, 2020 09:00 GMT", "2020-01-05T09:00:00+00:00"),
    ],
)
def test_dates_as_news_sites_print_them(line: str, iso: str) -> None:
    found = find_date(line)
    assert found is not None
    assert found[0] == iso


def test_no_date_and_impossible_dates() -> None:
    assert find_date("Talks at 12:30 with nobody") is None
    assert find_date("Feb 31, 2015") is None


def test_display_date() -> None:
    assert display_date("2015-10-10T12:31:00+05:30") == "10 Oct 2015"
    assert display_date("sometime") == "sometime"
    assert display_date(None) is None
