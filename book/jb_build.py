"""``jupyter-book build`` with Sphinx's parallel reading, which its command line does not offer.

Reading a lesson is executing it, so reading in parallel executes the lessons side by side: on a
2-core machine the book builds in about half the time. The number of processes is BOOK_JOBS
(default: the number of CPUs). Arguments are those of ``jupyter-book``.
"""

import functools
import os
import sys

import jupyter_book.sphinx
from jupyter_book.cli.main import main

if __name__ == "__main__":
    jobs = int(os.environ.get("BOOK_JOBS") or os.cpu_count() or 1)
    # The command imports build_sphinx from this module when it runs: give it the jobs argument.
    jupyter_book.sphinx.build_sphinx = functools.partial(
        jupyter_book.sphinx.build_sphinx, jobs=jobs
    )
    sys.exit(main())
