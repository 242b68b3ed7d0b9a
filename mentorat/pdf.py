"""PDF rendering with WeasyPrint, shared by the tracking tables and the syntheses.

WeasyPrint is imported inside the functions (about a second to import) and never
fetches anything over HTTP: static files are read from disk, any other URL is refused.

A long document (a promotion's tracking tables: a thousand pairs, ten thousand lines) is laid out in parts, one
process per core: WeasyPrint spends its time on each line in Python, so one process uses one core whatever the
machine has. Each part starts on a new page and has no page numbers; the parts are joined in order, then every page
gets its « Page n sur N », drawn by WeasyPrint in the same margin box, stamped over it.
"""

import contextlib
import ctypes
import io
import itertools
import os
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Sequence
from typing import IO, NoReturn

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

PREFIXE_STATIQUE = "static:"

# Below this many blocks a part is not worth a process: starting it and joining its pages cost more than it saves.
MINIMUM_PAR_PARTIE = 100


def _lire_fichier_statique(url: str) -> dict:
    chemin = finders.find(url.removeprefix(PREFIXE_STATIQUE))
    if not chemin:
        raise ValueError(f"Ressource introuvable pour le PDF : {url}")
    with open(chemin, "rb") as fichier:
        return {"string": fichier.read()}


def url_fetcher(url: str, timeout: int = 10, ssl_context=None) -> dict:
    """Serve `static:<path>` from the static files on disk; refuse every other URL."""
    if url.startswith(PREFIXE_STATIQUE):
        return _lire_fichier_statique(url)
    raise ValueError(f"Ressource externe refusée dans un PDF : {url}")


def rendre_pdf(
    gabarit: str,
    contexte: dict,
    progresser: Callable[[int], None] | None = None,
    *,
    repartir: str | None = None,
) -> bytes:
    """Render template `gabarit` (extending `pdf/base.html`) to PDF bytes.

    `progresser`, if given, is told the percentage done after each step (HTML, layout, PDF written). `repartir` names
    the context's list of blocks that may be split into parts laid out side by side (`nombre_de_parties`)."""
    avancer = progresser or (lambda pourcentage: None)
    contexte = {"genere_le": timezone.localtime(), **contexte}
    if repartir and (parties := nombre_de_parties(len(contexte[repartir]))) > 1:
        return _rendre_en_parties(gabarit, contexte, repartir, parties, avancer)
    html = render_to_string(gabarit, contexte)
    avancer(40)
    document = _document(html).render()
    avancer(85)
    return document.write_pdf()


def nombre_de_parties(blocs: int) -> int:
    """How many processes lay out a document of `blocs` blocks: one per core given to PDFs (`PDF_PROCESSUS`), with
    at least `MINIMUM_PAR_PARTIE` blocks each.

    Only one in a process that runs other threads (a web server's): a forked process inherits the locks those
    threads may hold, not the threads that would release them. Celery's workers run their tasks in a single thread."""
    if threading.active_count() > 1:
        return 1
    return max(1, min(settings.PDF_PROCESSUS, blocs // MINIMUM_PAR_PARTIE))


def _document(html: str):
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=url_fetcher, base_url=PREFIXE_STATIQUE)


def _rendre_en_parties(gabarit: str, contexte: dict, cle: str, parties: int, avancer: Callable[[int], None]) -> bytes:
    blocs = contexte[cle]
    bornes = [len(blocs) * rang // parties for rang in range(parties + 1)]
    sources = [
        render_to_string(gabarit, {**contexte, cle: blocs[debut:fin], "partie": rang, "numeros_apposes": True})
        for rang, (debut, fin) in enumerate(itertools.pairwise(bornes))
    ]
    avancer(40)
    return _joindre(_pdfs_cote_a_cote(sources, avancer), contexte)


def _pdfs_cote_a_cote(sources: Sequence[str], avancer: Callable[[int], None]) -> list[bytes]:
    """Each HTML of `sources` written to PDF by a process of its own, all at once: their PDFs, in order.

    Forked by hand rather than through `multiprocessing`, which forbids children to a Celery task's process (a
    daemon): forked, a process starts at once with WeasyPrint already imported. Each one is waited for; killed if
    this process stops waiting (an exception: the task's soft time limit), and by the system if this process dies
    (its hard time limit, a worker stopped)."""
    parent = os.getpid()
    enfants: dict[int, IO[bytes]] = {}
    try:
        for html in sources:
            sortie: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed below, once its process has written it
            # Signals held from the fork until the process is recorded: a time limit raised in between would leave a
            # process nobody waits for.
            masque = signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
            try:
                pid = os.fork()
                if pid == 0:
                    _ecrire_une_partie(html, sortie, parent, masque)  # never returns
                enfants[pid] = sortie
            except OSError:
                sortie.close()  # no process was made
                raise
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, masque)
        pdfs = []
        for rang, (pid, sortie) in enumerate(list(enfants.items()), 1):
            _pid, statut = os.waitpid(pid, 0)
            del enfants[pid]
            with sortie:
                if os.waitstatus_to_exitcode(statut) != 0:
                    raise RuntimeError(f"La partie {rang} sur {len(sources)} du PDF n'a pas pu être mise en page.")
                sortie.seek(0)
                pdfs.append(sortie.read())
            avancer(40 + 45 * rang // len(sources))
        return pdfs
    finally:
        for pid, sortie in enfants.items():
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            sortie.close()


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _mourir_avec_le_parent() -> None:
    """Asks the system to kill this process when its parent dies (Linux); elsewhere, or refused, the part still runs
    and ends on its own."""
    if sys.platform == "linux":
        with contextlib.suppress(AttributeError, OSError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def _ecrire_une_partie(html: str, sortie: IO[bytes], parent: int, masque: set) -> NoReturn:
    """In a forked process: writes the PDF of `html` to `sortie`, then leaves at once, so that nothing of the parent
    (its handlers at exit, its connections' cleanup, its callers' `finally`) runs here. Signals are handled as the
    parent handles them (a Celery worker's process ignores Ctrl-C, so that a warm shutdown lets its task finish),
    once released inside the `try`: a handler that raises ends this process too."""
    code = 1
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, masque)
        _mourir_avec_le_parent()
        if os.getppid() == parent:  # else it died before that was asked
            sortie.write(_document(html).write_pdf())
            sortie.flush()
            code = 0
    except BaseException:  # told to the parent by the exit code, the traceback on stderr
        traceback.print_exc()
    finally:
        os._exit(code)


def _joindre(pdfs: list[bytes], contexte: dict) -> bytes:
    """The parts one after the other (the first one's title, language and metadata), each page numbered."""
    from pypdf import PdfReader, PdfWriter

    document = PdfWriter(clone_from=io.BytesIO(pdfs[0]))
    for pdf in pdfs[1:]:
        document.append(PdfReader(io.BytesIO(pdf)))
    total = len(document.pages)
    numeros = _document(render_to_string("pdf/numeros.html", {**contexte, "pages": range(total)})).write_pdf()
    for page, numero in zip(document.pages, PdfReader(io.BytesIO(numeros)).pages, strict=True):
        page.merge_page(numero)
        page.compress_content_streams()  # merged, a page's drawing is written out uncompressed: 16 times larger
    sortie = io.BytesIO()
    document.write(sortie)
    return sortie.getvalue()
