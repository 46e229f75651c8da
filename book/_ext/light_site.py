"""Keep the built site light: what a page loads, and what the site ships (issue 14, item 4).

After the HTML is written (``build-finished``):

- no source maps ship (``*.map``: 3.5 MB of the theme's, never loaded by a reader);
- Font Awesome: the theme loads ``fontawesome.js`` (1.49 MB, it redraws every icon as an SVG)
  *and* the Font Awesome web fonts through its CSS. The CSS alone draws the icons, so the script
  is replaced by a one-line stub, and the fonts by subsets holding only the glyphs the pages and
  the theme's CSS use (a few KB; ``_static/icons/``, declared in ``_static/icons.css``, which
  comes after the theme's CSS and so overrides its ``@font-face`` rules);
- the ipywidgets manager (require.js and the html-manager, 3.6 MB) ships only if a page embeds
  widget state; MyST-NB already adds its scripts only to such a page;
- the theme's translations (``_static/locales``), which the English site never loads, are dropped.

Images: a figure made by ``mlpcore.course.figures.show`` carries its description inside the file
(SVG ``<title>``/``<desc>``); an output image with no alt text gets that description (MyST-NB
would otherwise use the file path).

About 230 lines: four independent post-build steps (maps, icons, CSS, widgets) and the alt-text
hook, kept in one extension because they share the site walk; each is one function.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

from docutils import nodes
from sphinx.application import Sphinx

ICON_FONTS = {  # Font Awesome font family, weight -> the theme's font file
    ("Font Awesome 6 Free", 900): "fa-solid-900",
    ("Font Awesome 6 Free", 400): "fa-regular-400",
    ("Font Awesome 6 Brands", 400): "fa-brands-400",
}
STUB = "/* Icons: the theme's CSS, with a subset of Font Awesome (_static/icons.css). */\n"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_SVG_NS = "{http://www.w3.org/2000/svg}"


def _png_description(path: Path) -> str | None:
    """The "Description" tEXt chunk of a PNG (matplotlib's ``metadata={"Description": ...}``)."""
    data = path.read_bytes()
    pos = 8  # after the signature
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"tEXt" and body.startswith(b"Description\0"):
            return body.split(b"\0", 1)[1].decode("latin-1")
        if kind == b"iTXt" and body.startswith(b"Description\0"):
            return body.split(b"\0", 5)[-1].decode("utf-8")
        pos += 12 + length
    return None


def figure_description(path: Path) -> str | None:
    """The description a figure file carries: the SVG's <desc> (or <title>), the PNG's
    "Description" text; else None."""
    if not path.is_file():
        return None
    if path.suffix.lower() == ".png":
        return _png_description(path)
    if path.suffix.lower() != ".svg":
        return None
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError:
        return None
    for tag in ("desc", "title"):
        element = root.find(f"{_SVG_NS}{tag}")
        if element is not None and (element.text or "").strip():
            return " ".join(element.text.split())
    return None


def alt_from_figure_files(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Give each image with no alt text the description stored in its file."""
    for image in doctree.findall(nodes.image):
        if image.get("alt"):
            continue
        uri = image.get("candidates", {}).get("*") or image.get("uri", "")
        description = figure_description(Path(app.srcdir) / uri)
        if description:
            image["alt"] = description


def _used_icon_codepoints(out: Path) -> set[int]:
    """Code points of the icons the site can show: classes in its pages and scripts, and the
    --pst-icon-* variables of the theme's CSS (admonitions, arrows)."""
    css = (out / "_static" / "styles" / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    codes = {name: int(code, 16) for name, code in _icon_rules(css)}
    # The pages and the theme's own scripts (not the vendored libraries, whose bundles name
    # every icon they know).
    scripts = list((out / "_static" / "scripts").glob("*.js"))
    text = " ".join(
        p.read_text(encoding="utf-8", errors="ignore")
        for p in list(out.rglob("*.html")) + scripts
        if p.name != "fontawesome.js"
    )
    used = {codes[n] for n in set(re.findall(r"\bfa-([a-z0-9-]+)", text)) if n in codes}
    used |= {int(c, 16) for c in re.findall(r'--pst-icon-[a-z-]+:"\\([0-9a-f]{4})"', css)}
    # Icons written straight into other style sheets (sphinx-exercise, the book theme).
    for sheet in (out / "_static").rglob("*.css"):
        if sheet.name != "pydata-sphinx-theme.css" and "mathjax" not in sheet.parts:
            text = sheet.read_text(encoding="utf-8", errors="ignore")
            used |= {int(c, 16) for c in re.findall(r'content:\s*"\\([ef][0-9a-f]{3})"', text)}
    return used


def _icon_rules(css: str):
    """(name, hex code) for every ``.fa-NAME:before{content:"\\XXXX"}`` rule of the CSS."""
    rule = r"((?:\.fa-[a-z0-9-]+:before,?)+)\{content:\"\\([0-9a-f]{4})\""
    for selectors, code in re.findall(rule, css):
        for name in re.findall(r"\.fa-([a-z0-9-]+):before", selectors):
            yield name, code


def subset_icon_fonts(out: Path) -> None:
    from fontTools import subset

    static = out / "_static"
    webfonts = static / "vendor" / "fontawesome" / "webfonts"
    if not webfonts.is_dir():
        return
    codepoints = _used_icon_codepoints(out)
    icons = static / "icons"
    icons.mkdir(exist_ok=True)
    faces = []
    for (family, weight), stem in ICON_FONTS.items():
        source = webfonts / f"{stem}.ttf"
        if not source.is_file():
            continue
        options = subset.Options()
        options.flavor = "woff"  # zlib; woff2 would need brotli
        options.layout_features = []
        options.hinting = False
        options.desubroutinize = True
        font = subset.load_font(str(source), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codepoints)
        subsetter.subset(font)
        subset.save_font(font, str(icons / f"{stem}.woff"), options)
        faces.append(
            f'@font-face{{font-family:"{family}";font-style:normal;font-weight:{weight};'
            f'font-display:block;src:url(icons/{stem}.woff) format("woff")}}'
        )
    (static / "icons.css").write_text(
        "/* Subsets of Font Awesome (SIL OFL 1.1) with only the icons this site shows. */\n"
        + "\n".join(faces)
        + "\n",
        encoding="utf-8",
    )
    shutil.rmtree(static / "vendor" / "fontawesome")
    script = static / "scripts" / "fontawesome.js"
    if script.exists():
        script.write_text(STUB, encoding="utf-8")


def _used_tokens(out: Path) -> set[str]:
    """Every word that can be a class name on the site: the class attributes of the pages, and
    every identifier-like string of the scripts (which add classes as the reader clicks)."""
    tokens: set[str] = set()
    for page in out.rglob("*.html"):
        for attr in re.findall(r'class="([^"]*)"', page.read_text(encoding="utf-8")):
            tokens.update(attr.split())
    for script in (out / "_static").rglob("*.js"):
        if "mathjax" not in script.parts:
            tokens.update(re.findall(r"[A-Za-z_][\w-]*", script.read_text(errors="ignore")))
    return tokens


def _keep_selector(selector: str, tokens: set[str]) -> bool:
    return all(name in tokens for name in re.findall(r"\.(-?[_a-zA-Z][\w-]*)", selector))


GROUPS = ("media", "supports")  # at-rules that hold rules of their own


def _purge_rules(rules, tokens: set[str]) -> str:
    import tinycss2

    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [s for s in tinycss2.serialize(rule.prelude).split(",") if s.strip()]
            selectors = [s for s in selectors if _keep_selector(s, tokens)]
            if selectors:
                kept.append(",".join(selectors) + "{" + tinycss2.serialize(rule.content) + "}")
        elif rule.type == "at-rule" and rule.lower_at_keyword in GROUPS and rule.content:
            inner = _purge_rules(tinycss2.parse_rule_list(rule.content), tokens)
            if inner:
                kept.append(f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}{{{inner}}}")
        elif rule.type == "at-rule" and "fontawesome" in tinycss2.serialize([rule]):
            continue  # the icon fonts: _static/icons.css declares their subsets
        elif rule.type in ("qualified-rule", "at-rule"):
            kept.append(tinycss2.serialize([rule]))
    return "".join(kept)


def purge_theme_css(out: Path) -> None:
    """Drop the CSS rules whose selectors name a class the site never uses: most of Bootstrap
    and one rule per Font Awesome icon in the theme's CSS (397 KB, loaded by every page), the
    output styles MyST-NB ships for every kind of output."""
    import tinycss2

    static = out / "_static"
    tokens = _used_tokens(out)
    for path in [static / "styles" / "pydata-sphinx-theme.css", *static.glob("mystnb.*.css")]:
        if path.is_file():
            rules = tinycss2.parse_stylesheet(path.read_text(encoding="utf-8"))
            path.write_text(_purge_rules(rules, tokens), encoding="utf-8")


# MyST-NB's folded cells: <summary aria-label="Toggle hidden content"> around the visible text
# "Show code cell content", which axe reports (label-content-name-mismatch, serious). Without the
# label, the visible text is the accessible name.
_SUMMARY_LABEL = ' aria-label="Toggle hidden content"'


def name_folded_cells_by_their_text(out: Path) -> None:
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if _SUMMARY_LABEL in text:
            page.write_text(text.replace(_SUMMARY_LABEL, ""), encoding="utf-8")


def slim_site(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    for source_map in out.rglob("*.map"):
        source_map.unlink()
    subset_icon_fonts(out)
    purge_theme_css(out)
    name_folded_cells_by_their_text(out)
    shutil.rmtree(out / "_static" / "locales", ignore_errors=True)
    widget_pages = [p for p in out.rglob("*.html") if WIDGET_STATE in p.read_text(encoding="utf-8")]
    # The html-manager's own icon font (Font Awesome 4, for widget buttons) is asked for relative
    # to the page, at @jupyter-widgets/<hash>.woff2, since the theme's icon script no longer
    # redraws those icons: give each widget page's folder a copy of the manager's fonts.
    manager = out / "_static" / "html-manager"
    for folder in {p.parent for p in widget_pages}:
        fonts = folder / "@jupyter-widgets"
        fonts.mkdir(exist_ok=True)
        for font in manager.glob("*.woff2"):
            shutil.copy2(font, fonts / font.name)
    if not widget_pages:
        for name in ("html-manager", "requirejs", "widgets-require-paths.js"):
            path = out / "_static" / name
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()


def setup(app: Sphinx) -> dict:
    app.connect("doctree-resolved", alt_from_figure_files)
    app.connect("build-finished", slim_site)
    app.add_css_file("icons.css", priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
