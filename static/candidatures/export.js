// The export page's "select all" box, bound here rather than by an onchange attribute, which the
// Content-Security-Policy forbids. onSelectToggleChange comes from import-export's own script.
document.addEventListener("DOMContentLoaded", () => {
  const bascule = document.getElementById("select-all-toggle");
  if (bascule) {
    bascule.addEventListener("change", onSelectToggleChange);
  }
});
