"""The lessons' figures at build time: SVG text that stays legible on a phone, fonts that fall
back, and a description on every figure (mlpcore.course.figures; the browser test of the built
book measures the same figures on the page, tests/test_book_reading.py)."""

from __future__ import annotations

import re

import pytest

from mlpcore.course import figures, playground
from mlpcore.course.playground import Settings

pytest.importorskip("matplotlib")


def phone_px(svg: str) -> float:
    """The smallest text of an SVG from figures.to_svg, in px, shown in a phone's column."""
    width = float(re.search(r'<svg[^>]* width="([\d.]+)pt"', svg).group(1))
    smallest = float(re.search(r'data-smallest-font-pt="([\d.]+)"', svg).group(1))
    return figures.phone_text_px(width, smallest)


def test_phone_text_px_scales_only_figures_wider_than_the_column():
    assert figures.phone_text_px(200, 10.5) == pytest.approx(14.0)  # 267 px: its own size
    wide = 2 * figures.PHONE_COLUMN_PX * 3 / 4  # pt: twice the column
    assert figures.phone_text_px(wide, 10.5) == pytest.approx(7.0)


def test_default_network_diagram_is_legible_on_a_phone():
    fig = figures.draw_network((2, 3, 4, 2), node_values=[None, [1, -1, 0.5], None, [0, 1]])
    svg = figures.to_svg(fig, "a network")
    assert figures.smallest_font(fig) >= figures.MIN_FONT_PT
    assert phone_px(svg) >= 0.8 * figures.BODY_PX


@pytest.mark.parametrize("settings", [Settings(epochs=3), Settings(alpha=10.0)], ids=["ok", "bad"])
@pytest.mark.parametrize("panel", ["loss", "boundary", "network"])
def test_each_playground_panel_is_a_legible_svg_described_from_its_run(settings, panel):
    run = playground.train(settings)
    fig = playground.panel_figure(run, panel)
    alt = figures.plain(playground.describe_run(run)) + "; " + figures.description(fig)
    svg = figures.to_svg(fig, alt)
    assert phone_px(svg) >= 0.8 * figures.BODY_PX
    assert f"α = {settings.alpha:g}" in alt and str(run.net.s[1]) in alt
    assert ("diverged" in alt) == run.diverged
    with pytest.raises(ValueError, match="panel"):
        playground.panel_figure(run, "histogram")


def test_every_font_list_falls_back_to_a_generic_family():
    fig = figures.draw_network((2, 2), title=r"$w^{(0)}$")
    svg = figures.to_svg(fig, "a network")
    families = re.findall(r"font-family: ([^;\"]*)", svg)
    assert families and all(f.rstrip().endswith("sans-serif") for f in families)


def test_a_figure_without_a_description_is_refused():
    import matplotlib.pyplot as plt

    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match="description"):
        figures.show(fig)
    plt.close(fig)
