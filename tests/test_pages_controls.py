"""Controls keep their state across reruns and in the URL: each one clicked both ways (AppTest)."""

from __future__ import annotations

import pytest

from tests.test_pages import _app, _no_exception, factory  # noqa: F401  (fixture)


def _url(at, key: str) -> str | None:
    vals = at.query_params.get(key)
    if isinstance(vals, list):
        return vals[-1] if vals else None
    return vals


@pytest.mark.parametrize("first", ["type", "actor"])
def test_controls_timeline_lanes_switch_both_ways(factory, first: str) -> None:  # noqa: F811
    at = _app("pages/timeline.py")
    other = "actor" if first == "type" else "type"
    for value in (first, other, first, other):
        at.segmented_control(key="timeline_lane").set_value(value).run()
        _no_exception(at)
        assert at.segmented_control(key="timeline_lane").value == value
        assert _url(at, "lane") == (None if value == "actor" else value)
        at.run()  # a plain rerun keeps the choice
        assert at.segmented_control(key="timeline_lane").value == value


def test_controls_network_depth_switches_both_ways(factory) -> None:  # noqa: F811
    at = _app("pages/network.py")
    at.selectbox(key="network_ego").set_value("KOR").run()
    _no_exception(at)
    for value in (2, 1, 2, 1):
        at.radio(key="network_depth").set_value(value).run()
        _no_exception(at)
        assert at.radio(key="network_depth").value == value
        assert _url(at, "depth") == str(value)
        at.run()
        assert at.radio(key="network_depth").value == value and _url(at, "depth") == str(value)


def test_controls_network_ego_switches_and_clears(factory) -> None:  # noqa: F811
    at = _app("pages/network.py")
    for value in ("KOR", "RUS", ""):
        at.selectbox(key="network_ego").set_value(value).run()
        _no_exception(at)
        assert at.selectbox(key="network_ego").value == value
        assert _url(at, "ego") == (value or None)


def test_controls_url_still_opens_a_view(factory) -> None:  # noqa: F811
    from streamlit.testing.v1 import AppTest

    from tests.test_pages import APP, TIMEOUT

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/timeline.py")
    at.query_params["lane"] = "type"  # a pasted link
    at.run()
    assert at.segmented_control(key="timeline_lane").value == "type"
    at.segmented_control(key="timeline_lane").set_value("actor").run()
    assert at.segmented_control(key="timeline_lane").value == "actor" and _url(at, "lane") is None


def test_controls_network_level_and_co_mentions_switch_both_ways(factory) -> None:  # noqa: F811
    at = _app("pages/network.py")
    default = at.segmented_control(key="network_level").value
    other = "state" if default == "actor" else "actor"
    for value in (other, default, other):
        at.segmented_control(key="network_level").set_value(value).run()
        _no_exception(at)
        assert at.segmented_control(key="network_level").value == value
        assert _url(at, "level") == (None if value == default else value)
    for on in (True, False, True):
        at.toggle(key="network_co").set_value(on).run()
        _no_exception(at)
        assert at.toggle(key="network_co").value is on and _url(at, "co") == ("1" if on else None)
        drawn = at.get("plotly_chart")[0].proto.spec
        assert ("Named together" in drawn) is on


def test_controls_timeline_lane_count_switches_both_ways(factory) -> None:  # noqa: F811
    at = _app("pages/timeline.py")
    slider = at.slider(key="timeline_nlanes")
    default, lo = slider.value, slider.min
    for value in (int(lo) + 1, int(default), int(lo) + 1):
        at.slider(key="timeline_nlanes").set_value(value).run()
        _no_exception(at)
        assert int(at.slider(key="timeline_nlanes").value) == value
        assert _url(at, "lanes") == (None if value == default else str(value))
        spec = at.get("plotly_chart")[0].proto.spec
        assert ("smaller lanes not shown" in spec) is (value < slider.max)


@pytest.mark.parametrize(("page", "param"), [("pages/timeline.py", "lanes"), ("pages/network.py", "top")])
@pytest.mark.parametrize("value", ["²", "٣", "-1", "1e3", "99999999999999999999"])
def test_controls_a_hand_edited_count_in_the_url_is_ignored(factory, page: str, param: str, value: str) -> None:  # noqa: F811
    """``"²".isdigit()`` is True but ``int("²")`` fails: such a value must be ignored, not crash the page."""
    from streamlit.testing.v1 import AppTest

    from tests.test_pages import APP, TIMEOUT

    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page(page)
    at.query_params[param] = value
    at.run()
    _no_exception(at)
    assert at.get("plotly_chart"), "the chart is still drawn"


def test_controls_network_centrality_follows_the_level(factory) -> None:  # noqa: F811
    """The centrality table describes the graph drawn: switching actors ↔ states changes its rows."""
    at = _app("pages/network.py")
    default = at.segmented_control(key="network_level").value
    other = "state" if default == "actor" else "actor"
    rows = {}
    for value in (default, other, default):
        at.segmented_control(key="network_level").set_value(value).run()
        _no_exception(at)
        table = at.dataframe[-1].value
        names = tuple(table["name"])
        assert value not in rows or rows[value] == names  # the same level gives the same table back
        rows[value] = names
    assert rows[default] != rows[other]
