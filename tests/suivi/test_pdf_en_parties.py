"""The tracking tables' PDF laid out in parts by several processes, then joined and numbered (`mentorat.pdf`)."""

import io
import os
import re
import signal
import sys
import threading
import time

import pytest
from django.utils import timezone
from pypdf import PdfReader

from mentorat import pdf
from suivi import exports
from tests.factories import BinomeFactory, ThemeFactory
from tests.suivi.factories import RencontreFactory
from tests.suivi.test_views import il_y_a

ENTETE = "République française — Centre national de gestion Mentorat des directeurs"  # the page's two top boxes


def _pages(contenu: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(contenu)).pages]


def _corps_et_cadre(page: str) -> tuple[str, str]:
    """A page's own text, and what every page repeats after it (the page's margin boxes: header, footer, number)."""
    corps, _entete, cadre = page.rpartition(ENTETE)
    return corps.strip(), cadre.strip()


def _sans_l_heure(texte: str) -> str:
    """`texte` without the time it was generated at (the two documents compared may be a minute apart)."""
    return re.sub(r"Document généré le .+? à \d+h\d+\.", "", texte)


@pytest.fixture
def promotion_de_sept_binomes(promotion):
    for binome in BinomeFactory.create_batch(7, promotion=promotion):
        for jours in range(5, 75, 10):
            RencontreFactory(binome=binome, date=il_y_a(jours), themes=ThemeFactory.create_batch(2))
    return promotion


def test_en_trois_parties_le_pdf_dit_la_meme_chose_dans_le_meme_ordre_et_numerote_chaque_page(
    promotion_de_sept_binomes, monkeypatch, settings
):
    promotion = promotion_de_sept_binomes
    settings.PDF_PROCESSUS = 1
    d_un_tenant = exports.pdf_des_tableaux(promotion, timezone.localdate())
    settings.PDF_PROCESSUS = 3
    monkeypatch.setattr(pdf, "MINIMUM_PAR_PARTIE", 2)  # seven pairs: parts of two, two and three
    avancement: list[int] = []

    en_parties = exports.pdf_des_tableaux(promotion, timezone.localdate(), progresser=avancement.append)

    pages = _pages(en_parties)
    # Each part starts a page: at least three, each with its header, then its footer and its own number once.
    assert len(pages) >= 3
    for numero, page in enumerate(pages, 1):
        _corps, cadre = _corps_et_cadre(page)
        # pypdf may split a word at a kerning pair ("T ableaux"): the footer compared without spaces.
        assert cadre.replace(" ", "") == f"Tableauxdesuivi—promotion{promotion.nom}Page{numero}sur{len(pages)}"
    # The title and the introduction once, then every pair once, in the dashboard's order: the same text as the
    # document laid out in one piece.
    corps = _sans_l_heure(" ".join(_corps_et_cadre(page)[0] for page in pages))
    assert corps == _sans_l_heure(" ".join(_corps_et_cadre(page)[0] for page in _pages(d_un_tenant)))
    assert corps.count("Objectif :") == 1
    assert corps.count("Binôme ") == 7
    assert PdfReader(io.BytesIO(en_parties)).metadata.title == f"Tableaux de suivi — promotion {promotion.nom}"
    # The page followed the three parts as they were done.
    assert avancement == [20, 40, 55, 70, 85]
    # Joined and numbered, each page's drawing is still compressed (written out plain, the document of a thousand
    # pairs would be sixteen times larger).
    for page in PdfReader(io.BytesIO(en_parties)).pages:
        assert page["/Contents"].get_object()["/Filter"] == "/FlateDecode"


def test_un_document_court_est_mis_en_page_d_un_tenant(settings):
    settings.PDF_PROCESSUS = 4

    assert pdf.nombre_de_parties(pdf.MINIMUM_PAR_PARTIE * 2 - 1) == 1
    assert pdf.nombre_de_parties(pdf.MINIMUM_PAR_PARTIE * 2) == 2
    assert pdf.nombre_de_parties(pdf.MINIMUM_PAR_PARTIE * 40) == 4


def test_un_seul_processus_quand_les_pdf_n_en_ont_qu_un(settings):
    settings.PDF_PROCESSUS = 1

    assert pdf.nombre_de_parties(pdf.MINIMUM_PAR_PARTIE * 40) == 1


def test_un_processus_qui_fait_tourner_d_autres_fils_met_en_page_seul(settings):
    # A web server's threads: a forked process would inherit the locks they hold.
    settings.PDF_PROCESSUS = 4
    fin = threading.Event()
    autre = threading.Thread(target=fin.wait)
    autre.start()
    try:
        assert pdf.nombre_de_parties(pdf.MINIMUM_PAR_PARTIE * 40) == 1
    finally:
        fin.set()
        autre.join()
    assert pdf.nombre_de_parties(pdf.MINIMUM_PAR_PARTIE * 40) == 4


@pytest.fixture
def processus_crees(monkeypatch):
    """The ids of the processes `mentorat.pdf` forks during the test."""
    crees: list[int] = []
    fourcher = os.fork

    def fourcher_et_noter() -> int:
        pid = fourcher()
        if pid:
            crees.append(pid)
        return pid

    monkeypatch.setattr(pdf.os, "fork", fourcher_et_noter)
    return crees


def _tous_attendus(pids: list[int]) -> bool:
    """Whether each of `pids` has ended and been waited for (none left running, none left a zombie)."""
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            continue
        return False
    return True


def test_une_partie_qui_echoue_fait_echouer_le_pdf_en_le_disant(
    promotion_de_sept_binomes, monkeypatch, settings, processus_crees
):
    settings.PDF_PROCESSUS = 3
    monkeypatch.setattr(pdf, "MINIMUM_PAR_PARTIE", 2)

    def document_illisible(html: str):
        raise ValueError("Ressource introuvable pour le PDF")

    monkeypatch.setattr(pdf, "_document", document_illisible)

    with pytest.raises(RuntimeError, match="La partie 1 sur 3 du PDF n'a pas pu être mise en page"):
        exports.pdf_des_tableaux(promotion_de_sept_binomes, timezone.localdate())
    assert len(processus_crees) == 3
    assert _tous_attendus(processus_crees)


class Interrompu(Exception):
    pass


def test_interrompu_par_sa_limite_de_temps_le_pdf_arrete_ses_processus(
    promotion_de_sept_binomes, monkeypatch, settings, processus_crees
):
    # Celery's soft time limit raises in the task while it waits for its parts: here an alarm does the same.
    settings.PDF_PROCESSUS = 2
    monkeypatch.setattr(pdf, "MINIMUM_PAR_PARTIE", 2)
    monkeypatch.setattr(pdf, "_document", lambda html: time.sleep(60))

    def interrompre(*_):
        raise Interrompu

    ancien = signal.signal(signal.SIGALRM, interrompre)
    debut = time.monotonic()
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        with pytest.raises(Interrompu):
            exports.pdf_des_tableaux(promotion_de_sept_binomes, timezone.localdate())
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, ancien)
    assert time.monotonic() - debut < 10  # the parts, each set for a minute, were stopped
    assert len(processus_crees) == 2
    assert _tous_attendus(processus_crees)


def _en_vie(pid: int) -> bool:
    """Whether process `pid` still runs (a process that ended but was not waited for by its new parent is a zombie)."""
    try:
        with open(f"/proc/{pid}/stat") as etat:
            return etat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(sys.platform != "linux", reason="the system's notice of a parent's death is Linux's (prctl)")
def test_les_parties_s_arretent_quand_le_processus_de_la_tache_est_tue(monkeypatch):
    # Killed at once (its hard time limit, a worker stopped), the task's process runs no `finally`: its parts, each
    # set for a minute, are stopped by the system.
    monkeypatch.setattr(pdf, "_document", lambda html: time.sleep(60))
    lecture, ecriture = os.pipe()
    fourcher = os.fork

    def fourcher_et_dire() -> int:
        pid = fourcher()
        if pid:
            os.write(ecriture, f"{pid}\n".encode())
        return pid

    monkeypatch.setattr(pdf.os, "fork", fourcher_et_dire)
    tache = fourcher()
    if tache == 0:  # the task's process: no database, only the parts
        try:
            pdf._pdfs_cote_a_cote(["<p>1</p>", "<p>2</p>"], lambda pourcentage: None)
        finally:
            os._exit(0)
    os.close(ecriture)
    recu = b""
    while recu.count(b"\n") < 2:
        morceau = os.read(lecture, 64)
        if not morceau:
            pytest.fail(f"Le processus de la tâche s'est arrêté avant ses deux parties : {recu!r}")
        recu += morceau
    os.close(lecture)
    parties = [int(pid) for pid in recu.split()]
    assert all(_en_vie(pid) for pid in parties)

    os.kill(tache, signal.SIGKILL)
    os.waitpid(tache, 0)

    fin = time.monotonic() + 10
    while time.monotonic() < fin and any(_en_vie(pid) for pid in parties):
        time.sleep(0.05)
    assert not any(_en_vie(pid) for pid in parties)


def test_un_processus_refuse_par_le_systeme_fait_echouer_le_pdf_sans_rien_laisser(
    promotion_de_sept_binomes, monkeypatch, settings
):
    # The system refuses the second part's process (no memory left): the first one is stopped, the error told.
    settings.PDF_PROCESSUS = 3
    monkeypatch.setattr(pdf, "MINIMUM_PAR_PARTIE", 2)
    crees: list[int] = []
    fourcher = os.fork

    def fourcher_une_fois() -> int:
        if crees:
            raise BlockingIOError(11, "Resource temporarily unavailable")
        pid = fourcher()
        if pid:
            crees.append(pid)
        return pid

    monkeypatch.setattr(pdf.os, "fork", fourcher_une_fois)

    with pytest.raises(BlockingIOError):
        exports.pdf_des_tableaux(promotion_de_sept_binomes, timezone.localdate())
    assert len(crees) == 1
    assert _tous_attendus(crees)


def test_un_signal_recu_par_une_partie_ne_la_fait_jamais_sortir_dans_le_code_de_la_tache(monkeypatch, tmp_path):
    # Ctrl-C or a stop sent to the whole process group, received by a part just forked: the part ends there, it never
    # runs its caller's code (whose `finally` would kill its siblings, or drop a measure's database).
    tache = os.getpid()
    fourcher = os.fork

    def fourcher_et_interrompre() -> int:
        pid = fourcher()
        if pid == 0:
            os.kill(os.getpid(), signal.SIGINT)  # pending: held until the part has begun
        return pid

    monkeypatch.setattr(pdf.os, "fork", fourcher_et_interrompre)
    sortis = tmp_path / "parties-sorties"
    try:
        with pytest.raises(RuntimeError, match="La partie 1 sur 2 du PDF n'a pas pu être mise en page"):
            pdf._pdfs_cote_a_cote(["<p>1</p>", "<p>2</p>"], lambda pourcentage: None)
    finally:
        if os.getpid() != tache:  # a part that came out here: said, then gone
            sortis.write_text(str(os.getpid()))
            os._exit(0)
    assert not sortis.exists()
