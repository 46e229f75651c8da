#!/usr/bin/env bash
# Build the HTML book into book/_build/html: what `make book` runs, once .venv is installed.
#
#   1. fetch MathJax, require.js and the widget manager from npm, once (book/vendor.sh);
#   2. write the pages generated from mlpcore: equations.md and api.md (book/build_pages.py);
#   3. drop the cached lesson outputs if mlpcore or the dependencies changed since they were made;
#   4. write the configuration: _config.yml with the repository and launch-button settings
#      derived from pyproject.toml (tools/book_config.py);
#   5. execute every lesson (in parallel: book/jb_build.py) and build, Sphinx warnings as
#      errors, every warning reported.
#
# SOLUTIONS=0 builds the book without solutions from its own source tree, in which every lesson
# has lost its solutions (tools/nosolution_book.py), into book/_build/nosolutions/_build/html.
# With OUTPUTS_FROM=DIR as well, it executes nothing: its lessons' outputs are those of the
# executed student notebooks DIR/NN_name.ipynb, which have the same code cells (make test gives
# the fresh wheel install's run, tests/student_runs.py), and the values its prose quotes
# (glue) are those of the teacher's book, as `make book` executed it.
set -eo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
SOLUTIONS=${SOLUTIONS:-1}

book/vendor.sh
"$VENV/bin/python" book/build_pages.py

if [[ "$SOLUTIONS" == 0 ]]; then
    src=book/_build/nosolutions/src
    out=book/_build/nosolutions
    "$VENV/bin/python" tools/nosolution_book.py "$src"
    config=$("$VENV/bin/python" tools/book_config.py "$src" --no-solutions)
else
    src=book
    out=book
    config=$("$VENV/bin/python" tools/book_config.py book)
fi

# Jupyter Book's cache re-executes a lesson when the lesson's code changes, not when the library
# it imports changes. Key the cache on mlpcore's sources and pyproject.toml as well.
key=$(cat pyproject.toml $(find mlpcore -name '*.py' | LC_ALL=C sort) | sha256sum | cut -c1-16)
mkdir -p "$out/_build"
if [[ "$(cat "$out/_build/.cache-key" 2>/dev/null)" != "$key" ]]; then
    rm -rf "$out/_build/.jupyter_cache"
    echo "$key" >"$out/_build/.cache-key"
fi
if [[ "$SOLUTIONS" == 0 && -n "$OUTPUTS_FROM" ]]; then
    rm -rf "$out/_build/.jupyter_cache" "$out/_build/.cache-key"
    "$VENV/bin/python" tools/nosolution_book.py "$src" --outputs-from "$OUTPUTS_FROM" \
        --cache "$out/_build/.jupyter_cache" --glue-from book/_build/.jupyter_cache
fi

# A clean output folder: Sphinx never deletes a file it no longer writes, and the site must ship
# only what this build made (the lessons' executed outputs stay cached in $out/_build).
rm -rf "$out/_build/html"
"$VENV/bin/python" book/jb_build.py build "$src" --config "$config" --path-output "$out" \
    -W -n --keep-going --all
