#!/usr/bin/env bash
# Build the HTML book into book/_build/html: what `make book` runs, once .venv is installed.
#
#   1. fetch MathJax, require.js and the widget manager from npm, once (book/vendor.sh);
#   2. write the pages generated from mlpcore: equations.md and api.md (book/build_pages.py);
#   3. drop the cached lesson outputs if mlpcore or the dependencies changed since they were made;
#   4. execute every lesson (in parallel: book/jb_build.py) and build, Sphinx warnings as
#      errors, every warning reported.
set -eo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}

book/vendor.sh
"$VENV/bin/python" book/build_pages.py

# Jupyter Book's cache re-executes a lesson when the lesson's code changes, not when the library
# it imports changes. Key the cache on mlpcore's sources and pyproject.toml as well.
key=$(cat pyproject.toml $(find mlpcore -name '*.py' | LC_ALL=C sort) | sha256sum | cut -c1-16)
mkdir -p book/_build
if [[ "$(cat book/_build/.cache-key 2>/dev/null)" != "$key" ]]; then
    rm -rf book/_build/.jupyter_cache
    echo "$key" >book/_build/.cache-key
fi

# A clean output folder: Sphinx never deletes a file it no longer writes, and the site must ship
# only what this build made (the lessons' executed outputs stay cached in book/_build).
rm -rf book/_build/html
"$VENV/bin/python" book/jb_build.py build book --path-output book -W -n --keep-going --all
