"""流动红旗: ranks with ties, prizes at the 85 / 95 edges, flags, and sanctions counted per year."""

from __future__ import annotations

import pandas as pd
import pytest

from generator.compute.scoring.red_flag import compute_red_flag, count_occurrences, score_period
from generator.models.schemes import RedFlagScheme


def scheme(**rules) -> RedFlagScheme:
    return RedFlagScheme(id="red-flag", name="流动红旗", kind="red_flag", period="quarter", rules=rules,
                         items=[{"id": "R", "name": "总分", "max_points": 100}])


def period(totals: dict[str, float], **rules) -> pd.DataFrame:
    items = pd.DataFrame({"R": list(totals.values())}, index=list(totals))
    return score_period(items, scheme(**rules))


def test_tied_first_places_both_get_600_and_the_flag_and_the_next_rank_is_3():
    result = period({"hongguang": 95.5, "shangyang": 95.5, "xipan": 90, "zhuwu": 82.5})
    assert list(result["rank"]) == [1, 1, 3, 4]
    assert list(result["prize"]) == [600, 600, 200, 0]
    assert list(result["flag"]) == [True, True, False, False]
    assert list(result["sanctioned"]) == [False, False, False, True]


@pytest.mark.parametrize("score, band, prize", [
    (100, "全额", 600), (95, "全额", 600), (94.99, "减半", 300), (85, "减半", 300), (84.99, None, 0), (60, None, 0)])
def test_first_prize_by_own_score_band(score, band, prize):
    row = period({"a": score, "b": 10}).loc["a"]
    assert (row["band"], row["prize"]) == (band, prize)


def test_85_gets_nothing_when_the_half_band_is_written_超过85():
    bands = [{"name": "全额", "when": "95以上", "ratio": 1}, {"name": "减半", "when": "超过85", "ratio": 0.5}]
    assert period({"a": 85, "b": 10}, bands=bands).loc["a", "prize"] == 0
    assert period({"a": 85.01, "b": 10}, bands=bands).loc["a", "prize"] == 300


def test_second_and_third_prizes_and_none_from_fourth():
    result = period({"a": 99, "b": 97, "c": 90, "d": 96.5})
    assert dict(result["prize"]) == {"a": 600, "b": 500, "d": 400, "c": 0}


def test_flag_count_is_configurable():
    assert list(period({"a": 99, "b": 97, "c": 90}, flags=2)["flag"]) == [True, True, False]


def test_last_place_at_85_is_not_sanctioned_but_84_99_is():
    assert not period({"a": 99, "b": 85})["sanctioned"]["b"]
    assert period({"a": 99, "b": 84.99})["sanctioned"]["b"]
    assert not period({"a": 84, "b": 83})["sanctioned"]["a"]       # below 85 but not last


def test_sanctions_are_counted_per_calendar_year():
    periods = {p: pd.DataFrame({"R": [99.0, 80.0]}, index=["a", "z"])
               for p in ("2026Q1", "2026Q2", "2026Q3", "2026Q4", "2027Q1")}
    result = compute_red_flag(periods, scheme())
    assert [result[p].loc["z", "occurrence"] for p in sorted(result)] == [1, 2, 3, 4, 1]
    assert [result[p].loc["z", "consequences"] for p in sorted(result)] == [
        "第1次末位：表态发言", "第2次末位：取消年终参评资格", "第3次末位：纪工委问责", "第4次末位：纪工委问责",
        "第1次末位：表态发言"]


def test_cumulative_window_does_not_reset():
    frame = pd.DataFrame({"branch_id": ["z", "z"], "period": ["2026Q4", "2027Q1"], "sanctioned": [True, True]})
    assert list(count_occurrences(frame, "all")) == [1, 2]
    assert list(count_occurrences(frame, "year")) == [1, 1]


def test_bimonthly_periods_work_the_same():
    periods = {p: pd.DataFrame({"R": [99.0, 80.0]}, index=["a", "z"]) for p in ("2026B1", "2026B2")}
    result = compute_red_flag(periods, scheme())
    assert result["2026B2"].loc["z", "occurrence"] == 2
