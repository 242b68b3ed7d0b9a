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

// A mentor sees the career questions of the corps chosen only; before a choice, and without JavaScript,
// both groups stay, each under its legend ("Si vous êtes DH ou D3S", "Si vous êtes directeur des soins"),
// and the server keeps only the answers of the corps chosen.
(function () {
  var corps = document.getElementById("id_corps");
  var direction = document.getElementById("fs-parcours-direction");
  var soins = document.getElementById("fs-parcours-soins");
  if (!corps || !direction || !soins) {
    return;
  }
  function suivreLeCorps() {
    direction.parentElement.hidden = corps.value === "DS";
    soins.parentElement.hidden = corps.value === "DH" || corps.value === "D3S";
  }
  corps.addEventListener("change", suivreLeCorps);
  suivreLeCorps();
})();
