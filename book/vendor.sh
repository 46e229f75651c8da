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

dest=_vendor
want="mathjax@$MATHJAX requirejs@$REQUIREJS @jupyter-widgets/html-manager@$HTML_MANAGER"
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

new="$tmp/out"
mkdir -p "$new/mathjax/output" "$new/requirejs" "$new/html-manager"
# MathJax: the TeX -> CommonHTML component and what it loads lazily (extensions, fonts, menu,
# accessibility); the other combined components and the SVG output are not used.
es5="$tmp/mathjax/es5"
cp "$es5/tex-chtml.js" "$new/mathjax/"
cp -r "$es5/input" "$es5/ui" "$es5/a11y" "$es5/sre" "$es5/adaptors" "$new/mathjax/"
cp -r "$es5/output/chtml" "$es5/output/chtml.js" "$new/mathjax/output/"
cp "$tmp/mathjax/LICENSE" "$new/mathjax/"
cp "$tmp/requirejs/require.js" "$tmp/requirejs/README.md" "$new/requirejs/"
# The html-manager bundle plus the icon fonts its CSS refers to (no source maps, no CommonJS copy).
find "$tmp/html-manager/dist" -maxdepth 1 -type f \
    \( -name 'embed-amd.js' -o -name '*.woff2' -o -name '*.woff' -o -name '*.ttf' \
    -o -name '*.eot' -o -name '*.svg' -o -name '*.LICENSE.txt' \) -exec cp {} "$new/html-manager/" \;
cp "$tmp/html-manager/LICENSE" "$new/html-manager/" 2>/dev/null || true
echo "$want" >"$new/VERSIONS"

rm -rf "$dest"
mv "$new" "$dest"
echo "vendor.sh: $(du -sh "$dest" | cut -f1) in book/$dest"
