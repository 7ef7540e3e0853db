"""Fixtures shared by several test modules."""

from __future__ import annotations

import warnings

import plotly.graph_objects as go
import pytest

from core.views import images


@pytest.fixture(scope="module")
def renderer():
    """A working kaleido + Chromium, or a skip that says why (and a warning in the summary)."""
    ok, message = images.renderer_status()
    if ok:
        try:
            images.render(go.Figure(go.Scatter(x=[0, 1], y=[0, 1])), "png")
        except images.ExportError as exc:
            ok, message = False, str(exc)
    if not ok:
        warnings.warn(f"image rendering tests skipped: {message}", UserWarning, stacklevel=1)
        pytest.skip(f"image export unavailable: {message}")
    yield
    images.close_renderer()
