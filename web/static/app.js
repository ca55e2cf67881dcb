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

// Error answers to any htmx form (400, 409, 412, 413, 422…) swap in like a success when they
// carry a GOV.UK error summary: htmx leaves 4xx unswapped by default, so a person would see
// nothing (an upload stayed on "Checking N rows…"). The summary then takes focus (afterSwap).
document.body.addEventListener("htmx:beforeSwap", (event) => {
  const xhr = event.detail.xhr;
  if (xhr.status < 400 || xhr.status >= 500) return;
  if (!/govuk-error-summary/.test(xhr.responseText || "")) return;
  event.detail.shouldSwap = true;
  event.detail.isError = false;
});

// An error answer without a summary (a proxy's 413 or 502, a lost connection) is still said.
document.body.addEventListener("htmx:responseError", (event) => {
  const form = event.detail.elt && event.detail.elt.closest("[data-app-upload]");
  if (form && !/govuk-error-summary/.test(event.detail.xhr.responseText || "")) {
    say(form, `The file could not be checked (error ${event.detail.xhr.status}). Try again.`);
  }
});
document.body.addEventListener("htmx:sendError", (event) => {
  const form = event.detail.elt && event.detail.elt.closest("[data-app-upload]");
  if (form) say(form, "The file could not be sent: check your connection and try again.");
});

// Counting a CSV's rows in the browser is quick; a workbook's rows are only known to the server.
async function rowsIn(form) {
  const input = form.querySelector('input[type="file"]');
  const file = input && input.files && input.files[0];
  if (!file || !/\.csv$/i.test(file.name) || file.size > 50 * 1024 * 1024) return null;
  const lines = (await file.text()).split(/\r\n|\n|\r/).filter((line) => line.trim() !== "");
  return Math.max(lines.length - 1, 0);
}

function say(form, message) {
  const status = form.querySelector("[data-app-upload-status]");
  if (status) status.textContent = message;
}

document.body.addEventListener("htmx:beforeRequest", (event) => {
  const form = event.detail.elt.closest("[data-app-upload]");
  if (!form) return;
  form.dataset.appUploaded = "";
  form.dataset.appSaid = "";
  const box = form.querySelector("[data-app-upload-progress]");
  const bar = box && box.querySelector("progress");
  if (box && bar) {
    bar.value = 0;
    box.hidden = false;
  }
  say(form, form.dataset.appUploadStarting || "Uploading the file");
  if (form.querySelector('input[type="file"]')) {
    form.dataset.appRows = "";
    rowsIn(form).then((rows) => {
      form.dataset.appRows = rows === null ? "" : String(rows);
    });
  }
});

document.body.addEventListener("htmx:xhr:progress", (event) => {
  const form = event.detail.elt && event.detail.elt.closest("[data-app-upload]");
  if (!form || form.dataset.appUploaded === "true" || !event.detail.lengthComputable) return;
  const percent = Math.floor((event.detail.loaded / event.detail.total) * 100);
  const bar = form.querySelector("[data-app-upload-progress] progress");
  if (bar) {
    bar.value = percent;
    bar.textContent = `${percent}%`;
  }
  if (event.detail.loaded >= event.detail.total) {
    // Uploaded: the server is now reading every row.
    form.dataset.appUploaded = "true";
    const rows = Number(form.dataset.appRows || "NaN");
    const count = rows.toLocaleString("en-GB");
    const what = Number.isNaN(rows) ? "the rows" : `${count} ${rows === 1 ? "row" : "rows"}`;
    say(form, `${form.dataset.appUploadChecking || "Checking"} ${what}…`);
  } else if (percent >= Number(form.dataset.appSaid || "0") + 25) {
    // Screen readers hear every quarter, not every tick.
    form.dataset.appSaid = String(percent - (percent % 25));
    say(form, `Uploaded ${percent}%`);
  }
});

document.body.addEventListener("htmx:afterSwap", (event) => {
  // A new page of the import arrived in place: start reading it from its heading.
  const source = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (!source || !source.closest || !source.closest("[data-app-upload]")) return;
  if (document.querySelector(".govuk-error-summary")) return;
  const heading = document.querySelector("#main-content h1");
  if (heading) {
    heading.setAttribute("tabindex", "-1");
    heading.focus();
  }
});
