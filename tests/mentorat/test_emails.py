"""The quick start's e-mails: written to a file as a person reads them, subject decoded."""

from django.core import mail

from mentorat import emails


def test_un_courriel_ecrit_lisible_dans_le_fichier(tmp_path):
    fichier = tmp_path / "courriels.txt"
    message = mail.EmailMessage(
        "Votre candidature au mentorat — accusé de réception", "Bonjour,\n\nNous avons bien reçu…", to=["a@exemple.fr"]
    )

    envoyes = emails.FichierLisible(fichier).send_messages([message, message])

    texte = fichier.read_text()
    assert envoyes == 2
    assert texte.count("Objet : Votre candidature au mentorat — accusé de réception\n") == 2
    assert "À : a@exemple.fr\n" in texte
    assert "=?utf-8?" not in texte  # no MIME encoding: the subject reads as written
    assert "Nous avons bien reçu…" in texte


def test_vers_detourne_les_courriels_du_service_le_temps_d_un_bloc(tmp_path, mailoutbox):
    contexte = {"utilisateur": None, "lien_confirmation": "https://exemple.fr/lien", "jours_validite": 3}

    with emails.vers(emails.FichierLisible(tmp_path / "courriels.txt")) as connexion:
        emails.envoyer("candidature-confirmation", ["a@exemple.fr"], contexte)
    emails.envoyer("candidature-confirmation", ["b@exemple.fr"], contexte)

    assert connexion.nombre == 1
    assert "À : a@exemple.fr" in (tmp_path / "courriels.txt").read_text()
    assert [m.to for m in mailoutbox] == [["b@exemple.fr"]]
