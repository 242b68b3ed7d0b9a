// The export page follows its document's preparation: every two seconds it asks for the export's state and shows
// the progress; once the document is ready (or failed) it reloads the page, which then shows the download link.
// Without JavaScript the page's "Actualiser" button does the same by hand.
document.addEventListener("DOMContentLoaded", () => {
  const zone = document.getElementById("etat-export");
  if (!zone) {
    return;
  }
  const barre = document.getElementById("progression");
  const texte = document.getElementById("progression-texte");
  const modele = texte ? texte.textContent.replace(/\d+\s*%/, "{p} %") : "";
  const suivre = () => {
    fetch(zone.dataset.etatUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then((reponse) => (reponse.ok ? reponse.json() : Promise.reject(reponse.status)))
      .then((etat) => {
        if (etat.statut === "pret" || etat.statut === "echec") {
          window.location.reload();
          return;
        }
        if (barre) {
          barre.value = etat.progression;
          barre.textContent = `${etat.progression} %`;
        }
        if (texte && modele) {
          texte.textContent = modele.replace("{p}", etat.progression);
        }
        window.setTimeout(suivre, 2000);
      })
      .catch(() => window.setTimeout(suivre, 5000));
  };
  window.setTimeout(suivre, 1000);
});
