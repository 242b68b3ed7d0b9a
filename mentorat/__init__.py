import os

# NumPy asks the kernel for transparent huge pages for every array of 4 MB or more. Where the kernel compacts
# memory to honour that request at the first touch (`defrag` set to `madvise`, Debian's default), the matching's
# 128 MB cost matrix at 4,000 × 4,000 waited 1.3 s for it, twice the solver's own time; ordinary pages cost
# nothing measurable. Read by NumPy when it is first imported, which is after this package; an operator may
# still set it otherwise.
os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", "0")

from .celery import app as celery_app

__all__ = ("celery_app",)
