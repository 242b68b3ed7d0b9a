// A second click on "Envoyer" while the first submission travels does nothing.
document.querySelectorAll("form[data-envoi-unique]").forEach(function (formulaire) {
  formulaire.addEventListener("submit", function (evenement) {
    if (formulaire.dataset.envoye === "oui") {
      evenement.preventDefault();
      return;
    }
    formulaire.dataset.envoye = "oui";
  });
});
