"""The lock files: what pyproject.toml declares is pinned, what is installed is what is pinned."""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))

from verifier_dependances import RACINE, ecarts, epingles, installees

BASE, TEST = RACINE / "requirements" / "base.txt", RACINE / "requirements" / "test.txt"


def test_le_virtualenv_des_tests_est_exactement_le_verrou():
    assert ecarts(TEST, "test", installees(), RACINE / "pyproject.toml") == []


def test_le_verrou_de_base_est_inclus_dans_celui_des_tests():
    base, test = epingles(BASE), epingles(TEST)

    assert {nom: test.get(nom) for nom in base} == base


def test_chaque_paquet_verrouille_a_ses_empreintes():
    for verrou in (BASE, TEST):
        blocs = re.split(r"\n(?=[a-z0-9])", verrou.read_text().split("\n", 3)[-1])
        sans_empreinte = [b.split()[0] for b in blocs if b.strip() and "--hash=sha256:" not in b]
        assert sans_empreinte == [], verrou.name


def test_une_dependance_declaree_sans_verrou_est_signalee(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\ndependencies = ["Django>=5.2,<5.3", "paquet-ajoute>=1"]\n')
    verrou = tmp_path / "base.txt"
    verrou.write_text("django==5.2.19 \\\n    --hash=sha256:00\n")

    assert ecarts(verrou, None, {"django": "5.2.19"}, pyproject) == [
        "paquet-ajoute est déclaré dans pyproject.toml mais absent de base.txt."
    ]


def test_une_version_hors_de_la_plage_declaree_est_signalee(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\ndependencies = ["gunicorn>=23,<28"]\n')
    verrou = tmp_path / "base.txt"
    verrou.write_text("gunicorn==22.0.0 \\\n    --hash=sha256:00\n")

    assert ecarts(verrou, None, {"gunicorn": "22.0.0"}, pyproject) == [
        "base.txt fixe gunicorn==22.0.0, hors de « gunicorn<28,>=23 » (pyproject.toml)."
    ]


def test_un_paquet_installe_a_la_main_ou_a_une_autre_version_est_signale(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\ndependencies = ["django"]\n')
    verrou = tmp_path / "base.txt"
    verrou.write_text("django==5.2.19 \\\n    --hash=sha256:00\nnumpy==2.4.6 ; python_version >= '3'\n")
    installe = {"django": "5.2.18", "requests": "2.0", "pip": "26.0"}

    assert ecarts(verrou, None, installe, pyproject) == [
        "django est installé en 5.2.18, base.txt fixe 5.2.19.",
        "numpy==2.4.6 est dans base.txt mais n'est pas installé.",
        "requests==2.0 est installé mais absent de base.txt.",
    ]


def test_l_image_docker_installe_le_verrou_avec_ses_empreintes():
    dockerfile = (RACINE / "Dockerfile").read_text()

    assert "pip install --no-cache-dir --no-deps --require-hashes -r requirements/base.txt" in dockerfile
    assert "pip install --no-cache-dir ." not in dockerfile
