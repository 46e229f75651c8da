#!/usr/bin/env bash
# Fetch the browser libraries the book needs offline from the npm registry, into book/_vendor.
#
# The built site must load nothing from a CDN: MathJax 3 draws the equations, require.js and the
# ipywidgets html-manager draw the embedded widgets. They are pinned here and fetched once with
# `npm pack` (no node_modules, no install scripts); a second run finds the stamp and does nothing.
# The folder is NOT called _static: Jupyter Book would add a <script> tag for every .js under it.
set -euo pipefail
cd "$(dirname "$0")"

MATHJAX=3.2.2
REQUIREJS=2.3.7
HTML_MANAGER=1.0.15 # the embedder for ipywidgets 8
AXE=4.14.1          # axe-core, for tests/test_book_reading.py only: into tests/_vendor, not the site
FONTAWESOME=7.3.1   # only its SVG files: book_extras builds a subset of the icons the pages use

dest=_vendor
want="mathjax@$MATHJAX requirejs@$REQUIREJS @jupyter-widgets/html-manager@$HTML_MANAGER"
want="$want axe-core@$AXE @fortawesome/fontawesome-free@$FONTAWESOME"
if [[ -f $dest/VERSIONS && "$(cat "$dest/VERSIONS")" == "$want" ]]; then
    exit 0
fi

command -v npm >/dev/null || {
    echo "vendor.sh: npm is needed once to fetch MathJax and the widget manager" >&2
    exit 1
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "vendor.sh: fetching $want"
# shellcheck disable=SC2086  # one word per package on purpose
(cd "$tmp" && npm pack --silent $want >/dev/null)

unpack() { # unpack TARBALL DIR: the package's files, without npm's leading package/ folder
    mkdir -p "$2" && tar xzf "$1" -C "$2" --strip-components=1
}
unpack "$tmp"/mathjax-"$MATHJAX".tgz "$tmp/mathjax"
unpack "$tmp"/requirejs-"$REQUIREJS".tgz "$tmp/requirejs"
unpack "$tmp"/jupyter-widgets-html-manager-"$HTML_MANAGER".tgz "$tmp/html-manager"
unpack "$tmp"/axe-core-"$AXE".tgz "$tmp/axe-core"
unpack "$tmp"/fortawesome-fontawesome-free-"$FONTAWESOME".tgz "$tmp/fontawesome"

new="$tmp/out"
mkdir -p "$new/mathjax/output" "$new/requirejs" "$new/html-manager"
# MathJax: the TeX -> CommonHTML component and what it loads lazily (extensions, fonts, menu,
# accessibility); the other combined components and the SVG output are not used.
es5="$tmp/mathjax/es5"
# MathJax: the components the book loads (_config.yml: startup, core, TeX input with the
# extensions it may autoload, CommonHTML output and its fonts, assistive MathML). Not the combined
# files, the menu, the speech engine (sre, 3.9 MB) or the SVG output.
mkdir -p "$new/mathjax/input" "$new/mathjax/a11y"
cp "$es5/startup.js" "$es5/core.js" "$new/mathjax/"
cp -r "$es5/input/tex.js" "$es5/input/tex" "$new/mathjax/input/"
cp "$es5/a11y/assistive-mml.js" "$new/mathjax/a11y/"
cp -r "$es5/output/chtml" "$es5/output/chtml.js" "$new/mathjax/output/"
cp "$tmp/mathjax/LICENSE" "$new/mathjax/"
cp "$tmp/requirejs/require.js" "$tmp/requirejs/README.md" "$new/requirejs/"
# The html-manager bundle plus the icon fonts its CSS refers to (no source maps, no CommonJS copy).
find "$tmp/html-manager/dist" -maxdepth 1 -type f \
    \( -name 'embed-amd.js' -o -name '*.woff2' -o -name '*.LICENSE.txt' \) \
    -exec cp {} "$new/html-manager/" \;
cp "$tmp/html-manager/LICENSE" "$new/html-manager/" 2>/dev/null || true
# Icons: the SVG sources only (book_extras turns the few the theme uses into one CSS file); kept
# out of the site's static path.
mkdir -p "$new-icons"
cp -r "$tmp/fontawesome/svgs" "$tmp/fontawesome/LICENSE.txt" "$new-icons/"
mkdir -p "$tmp/axe"
cp "$tmp/axe-core/axe.min.js" "$tmp/axe-core/LICENSE" "$tmp/axe/"
echo "$want" >"$new/VERSIONS"

rm -rf "$dest" _icons ../tests/_vendor/axe-core
mv "$new" "$dest"
mv "$new-icons" _icons
mkdir -p ../tests/_vendor
mv "$tmp/axe" ../tests/_vendor/axe-core
echo "vendor.sh: $(du -sh "$dest" | cut -f1) in book/$dest"
