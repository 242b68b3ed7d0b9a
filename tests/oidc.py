"""The real OpenID Connect provider of the ProConnect tests (tests/fournisseur_oidc/fournisseur.mjs, panva's
oidc-provider on Node.js): installed from its package-lock.json with npm when missing, started on a free loopback
port, stopped by its own process id. Nothing of the provider is mocked: the service discovers it, sends the person
to its authorization endpoint, exchanges the code at its token endpoint and checks its signatures."""

import contextlib
import fcntl
import json
import os
import re
import select
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import requests

DOSSIER = Path(__file__).parent / "fournisseur_oidc"
CLIENT_ID = "mentorat-cng"
CLIENT_SECRET = "secret-du-client-de-test-mentorat"


def installer() -> None:
    """`npm ci` once, whatever the number of test processes that ask at the same time."""
    if (DOSSIER / "node_modules" / "oidc-provider" / "package.json").exists():
        return
    if shutil.which("npm") is None:
        raise RuntimeError("npm est introuvable : Node.js 20 ou plus est nécessaire aux tests de ProConnect.")
    with open(Path(tempfile.gettempdir()) / "mentorat-fournisseur-oidc.lock", "w") as verrou:
        fcntl.flock(verrou, fcntl.LOCK_EX)
        if not (DOSSIER / "node_modules" / "oidc-provider" / "package.json").exists():
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=DOSSIER, check=True)  # noqa: S607


@dataclass
class Fournisseur:
    issuer: str

    def _essai(self, route: str, donnees: dict) -> None:
        requests.post(f"{self.issuer}/_essai/{route}", json=donnees, timeout=5).raise_for_status()

    def declarer_compte(self, email: str, **claims) -> None:
        """The identity the provider asserts when `email` signs in there (acr, amr, email_verified, names)."""
        self._essai("compte", {"email": email, "email_verified": True, **claims})

    def alterer_prochain_jeton(self, mode: str) -> None:
        """The next ID token is spoilt: "signature", signed by a key the provider does not publish; "nonce",
        "emetteur", "audience", signed by its real key with another nonce, issuer or audience."""
        self._essai("alteration", {"mode": mode})

    def s_identifier(self, navigateur: requests.Session, url_autorisation: str, login: str) -> str:
        """Play the person's browser at the provider, from the authorization URL to the redirect back to the
        service; returns that redirect (the service's callback, with code and state)."""
        url = url_autorisation
        for _etape in range(8):
            reponse = navigateur.get(url, allow_redirects=False, timeout=5)
            if "/interaction/" in reponse.url and reponse.status_code == 200:
                reponse = navigateur.post(reponse.url, data={"login": login}, allow_redirects=False, timeout=5)
            url = urljoin(url, reponse.headers["Location"])
            if not url.startswith(self.issuer):
                return url
        raise AssertionError("Le fournisseur n'a pas renvoyé vers le service.")

    def confirmer_deconnexion(self, navigateur: requests.Session, url_fin_de_session: str) -> str:
        """Confirm the sign-out on the provider's page; returns where the provider sends the person back."""
        page = navigateur.get(url_fin_de_session, timeout=5)
        page.raise_for_status()
        action = _trouver(r'<form[^>]*action="([^"]+)"', page.text)
        xsrf = _trouver(r'name="xsrf" value="([^"]+)"', page.text)
        reponse = navigateur.post(
            urljoin(page.url, action), data={"xsrf": xsrf, "logout": "yes"}, allow_redirects=False, timeout=5
        )
        return reponse.headers["Location"]


def _trouver(motif: str, texte: str) -> str:
    trouve = re.search(motif, texte)
    assert trouve is not None, f"« {motif} » absent de la page du fournisseur"
    return trouve[1]


@contextlib.contextmanager
def fournisseur_oidc(*, redirection: str, apres_deconnexion: str) -> Iterator[Fournisseur]:
    """A provider process whose client (CLIENT_ID) may return to `redirection` and, after logout, to
    `apres_deconnexion`; its pidfile is written beside its log and it is stopped by its id."""
    installer()
    dossier = Path(tempfile.mkdtemp(prefix="fournisseur-oidc-"))
    environnement = {
        **os.environ,
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URIS": redirection,
        "POST_LOGOUT_REDIRECT_URIS": apres_deconnexion,
    }
    with open(dossier / "fournisseur.log", "w") as journal:
        processus = subprocess.Popen(  # noqa: S603
            [shutil.which("node") or "node", str(DOSSIER / "fournisseur.mjs")],
            env=environnement,
            stdout=subprocess.PIPE,
            stderr=journal,
            text=True,
        )
    (dossier / "fournisseur.pid").write_text(str(processus.pid))
    assert processus.stdout is not None
    try:
        pret, _, _ = select.select([processus.stdout], [], [], 20)
        if not pret:
            raise RuntimeError(f"Le fournisseur OpenID n'a pas démarré : {(dossier / 'fournisseur.log').read_text()}")
        yield Fournisseur(issuer=json.loads(processus.stdout.readline())["issuer"])
    finally:
        processus.terminate()
        try:
            processus.wait(timeout=5)
        except subprocess.TimeoutExpired:
            processus.kill()
        shutil.rmtree(dossier, ignore_errors=True)
