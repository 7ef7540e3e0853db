"""The view registry (core.views.registry) is the one list of pages: every registered view has its page file,
its row in the README's page table and a page test; every page file is registered; the briefing
offers exactly the views marked for it; navigation, the benchmark and the browser tests read it;
each recipe draws its figure and says why when nothing matches.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.query import filters as F
from core.query import frames
from core.views import registry as views
from tests.factories import empty_tables, make_tables

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
SPECS = list(views.VIEWS)
IDS = [v.key for v in SPECS]
T = make_tables(seed=4)


def _page_table_rows() -> list[str]:
    """The first cell of each row of the README's page table (the one headed 'page')."""
    lines = README.splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(r"\|\s*page\s*\|", line))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(line.split("|")[1].strip())
    return rows


# --------------------------------------------------------------------------- one list of pages


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_views_every_view_has_its_page_file(spec: views.ViewSpec) -> None:
    assert (ROOT / spec.script).is_file(), spec.script
    assert spec.title and spec.icon.startswith(":material/")


def test_views_every_page_file_is_registered() -> None:
    files = {"app.py", *(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))}
    assert files == {v.script for v in SPECS}


def test_views_keys_and_paths_are_unique_and_params_are_not_filters() -> None:
    assert len({v.key for v in SPECS}) == len(SPECS)
    assert len({v.path for v in SPECS}) == len(SPECS)
    assert [v.path for v in SPECS if not v.path] == [""] and SPECS[0].script == "app.py"  # one home page, first
    for v in SPECS:
        assert not v.params & set(F.FILTER_PARAMS), v.key


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_views_every_view_has_a_readme_entry(spec: views.ViewSpec) -> None:
    assert spec.title in _page_table_rows()


def test_views_the_readme_lists_no_page_that_is_not_registered() -> None:
    assert _page_table_rows() == [v.title for v in SPECS]


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_views_every_view_has_a_page_test(spec: views.ViewSpec) -> None:
    from tests import test_pages

    if spec.script in test_pages.PAGES:  # rendered on factory, empty, seeded and undated corpora
        return
    quoted = f'"{spec.script}"'
    runs = [
        p.name
        for p in (ROOT / "tests").glob("test_*.py")
        if p.name != Path(__file__).name and quoted in p.read_text(encoding="utf-8")  # not this file's own mention
    ]
    assert runs, f"no test opens {spec.script}"


def test_views_page_tests_cover_every_corpus_page() -> None:
    from tests import app_server, test_pages

    assert [v.script for v in views.corpus_views()] == test_pages.PAGES
    assert [p for _, p in app_server.PAGES] == [v.path for v in SPECS]
    assert [p for _, p in app_server.CHART_PAGES] == [v.path for v in SPECS if not v.tool]


# --------------------------------------------------------------------------- the briefing, navigation, the benchmark


def test_views_the_briefing_offers_exactly_the_views_marked_for_it() -> None:
    marked = [v.key for v in SPECS if v.briefing]
    assert list(views.briefing_views()) == marked
    for key in marked:
        spec = views.briefing_views()[key]
        assert spec.what and spec.build is not None
        spec.options(spec.briefing_options)  # its briefing options are options it has


def test_views_the_briefing_page_offers_them(monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    import ui.loader

    monkeypatch.setattr(ui.loader, "read_store", lambda: (T, "views-briefing", []))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.switch_page("pages/briefing.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert list(at.multiselect(key="briefing_views").options) == [v.label for v in SPECS if v.briefing]


def test_views_navigation_reads_the_registry() -> None:
    from ui import state

    assert [(script, key) for script, _t, _i, key in state.NAV] == [(v.script, v.key) for v in SPECS]
    assert {v.key for v in SPECS if v.writes} == state.WRITE_PAGES
    for v in SPECS:
        assert state.page_path(v.key) == v.path
        assert state.PAGE_PARAMS[v.key] == v.params


def test_views_the_benchmark_measures_every_view_with_a_recipe() -> None:
    from benchmarks import run

    assert tuple(v.path or v.key for v in SPECS if v.build is not None) == run.PAGES


# --------------------------------------------------------------------------- the recipes

BUILT = [v for v in SPECS if v.build is not None]


@pytest.mark.parametrize("spec", BUILT, ids=[v.key for v in BUILT])
@pytest.mark.parametrize("where", ["page", "briefing"])
def test_views_each_recipe_draws_and_says_when_nothing_matches(spec: views.ViewSpec, where: str) -> None:
    if where == "briefing" and not spec.briefing:
        pytest.skip("not offered in a briefing")
    opts = spec.briefing_options if where == "briefing" else {}
    result = spec.run(T, F.Filters(), opts)
    assert not result.empty and result.rows and not result.rows[0].empty and result.name
    if result.figure is not None:
        assert result.figure.layout.title.text
    empty = spec.run(frames.ensure_tables(empty_tables()), F.Filters(), opts)
    assert empty.empty and empty.empty_message.startswith("No ")


@pytest.mark.parametrize("spec", BUILT, ids=[v.key for v in BUILT])
def test_views_an_unknown_option_is_refused_by_name(spec: views.ViewSpec) -> None:
    with pytest.raises(ValueError, match="no option"):
        spec.run(T, F.Filters(), {"colour_scheme": "pink"})


@pytest.mark.parametrize("key", ["add-articles", "briefing", "nowhere"])
def test_views_pages_without_a_recipe_or_unknown_keys_say_so(key: str) -> None:
    with pytest.raises(ValueError, match=key):
        views.get(key).run(T, F.Filters())


def test_views_cached_result_keeps_what_the_page_needs() -> None:
    result = views.get("timeline").run(T, F.Filters())
    light = result.for_cache()
    assert light.rows == [] and light.figure is result.figure and light.empty == result.empty
    assert light.name == result.name and light.empty_message == result.empty_message
