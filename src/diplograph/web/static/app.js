// diplograph dashboard: a few progressive enhancements; every page works without them.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Select lists marked data-autosubmit submit their form on change.
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form && select.form.submit());
  }
  // "expand all" buttons open or close every event sentence in their section.
  for (const button of document.querySelectorAll("button.toggle-all")) {
    button.addEventListener("click", () => {
      const scope = document.querySelector(button.dataset.target) || document;
      const details = scope.querySelectorAll("details.event-detail");
      const open = ![...details].every((d) => d.open);
      for (const d of details) d.open = open;
      button.textContent = open ? "collapse all" : "expand all";
    });
  }
  // Opening the article page at #event-… highlights that event's row.
  if (location.hash.startsWith("#event-")) {
    const row = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (row) row.classList.add("target");
  }
});
