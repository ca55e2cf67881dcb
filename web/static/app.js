// Start GOV.UK Frontend, and again inside every fragment htmx swaps in.
import { initAll } from "/static/vendor/govuk-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
initAll();

document.body.addEventListener("htmx:afterSwap", (event) => {
  // An outerHTML swap has already taken the old target out of the page: look in the whole page.
  const scope = event.detail.target.isConnected ? event.detail.target : document.body;
  initAll({ scope });
  // An error summary that arrives by htmx takes focus, as it would on a full page load.
  const summary = scope.querySelector(".govuk-error-summary");
  if (summary) {
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
});
