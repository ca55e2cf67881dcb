// Start GOV.UK Frontend; after every htmx swap, the one rule below (afterSwap) starts it again
// inside the new fragment only, and decides where focus goes and what is announced.
import { initAll } from "/static/vendor/govuk-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
initAll();

// Import uploads (forms marked data-app-upload): a 422 preview still shows, with its errors.
document.body.addEventListener("htmx:beforeSwap", (event) => {
  if (event.detail.xhr.status === 422 && event.detail.elt.closest("[data-app-upload]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
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

// ---------------------------------------------------------------------------------------------
// The one polite live region (base.html, never swapped): saves, result counts, the timeout.
function announce(message) {
  const region = document.getElementById("app-status");
  if (!region || !message) return;
  // Emptied first, so the same words said twice ("Milestone saved") are announced twice.
  region.textContent = "";
  window.setTimeout(() => {
    region.textContent = message;
  }, 100);
}

function focusOn(element) {
  if (!element) return false;
  if (!element.matches("a[href], button, input, select, textarea, [tabindex]")) {
    element.setAttribute("tabindex", "-1");
  }
  element.focus();
  return document.activeElement === element;
}

function firstField(scope) {
  return scope.querySelector(
    'form[method="post"] :is(input:not([type="hidden"]), select, textarea):not([disabled])',
  );
}

// What each htmx request was, noted before the page changes under it (by its XMLHttpRequest:
// the element that sent it may be gone by the time its answer is swapped in).
const requests = new WeakMap();
document.body.addEventListener("htmx:beforeRequest", (event) => {
  const elt = event.detail.elt;
  const form = elt.closest("form");
  const verb = elt.hasAttribute("hx-post") ? "post" : "get";
  const active = document.activeElement;
  requests.set(event.detail.xhr, {
    verb: verb.toLowerCase(),
    action: form && verb.toLowerCase() === "post" ? new URL(form.action, location.href).pathname : "",
    saved: (form && form.dataset.appSaved) || "",
    control: active && active.id ? active.id : "",
    upload: Boolean(elt.closest("[data-app-upload]")),
  });
});

// The focus rule, for every swap:
// - an error summary in the new content takes focus;
// - an import page that arrives in place: its heading;
// - a save: the row's Change link (the link that opens the form just saved), and "saved" is said;
// - opening an inline edit: its first field;
// - sorting or filtering: the same control again, else the table's caption; the count is said.
document.body.addEventListener("htmx:afterSwap", (event) => {
  // An outerHTML swap has already taken the old target out of the page: look it up again.
  const target = event.detail.target;
  const scope = target.isConnected ? target : document.getElementById(target.id) || document.body;
  initAll({ scope });
  const request = requests.get(event.detail.xhr) || { verb: "get", action: "", saved: "", control: "" };
  const summary = scope.querySelector(".govuk-error-summary");
  if (summary) {
    focusOn(summary);
    return;
  }
  if (request.upload) {
    focusOn(document.querySelector("#main-content h1"));
    return;
  }
  if (request.verb === "post") {
    const change = request.action && scope.querySelector(`a[href^="${request.action}/"]`);
    focusOn(change || scope.querySelector(".govuk-notification-banner") || scope.querySelector("h2, h1"));
    announce(request.saved || "Saved");
    return;
  }
  const field = firstField(scope);
  if (field && !scope.querySelector("[data-app-count]")) {
    focusOn(field);
    return;
  }
  const same = request.control && document.getElementById(request.control);
  if (!(same && focusOn(same))) focusOn(scope.querySelector("caption"));
  const count = scope.querySelector("[data-app-count]");
  if (count) announce(count.textContent.replace(/\s+/g, " ").trim());
});

// ---------------------------------------------------------------------------------------------
// The GOV.UK timeout warning: before the session's idle limit, a modal dialog offers
// "Stay signed in", which touches the session through a small endpoint.
const warning = document.getElementById("app-timeout-warning");
if (warning && typeof warning.showModal === "function") {
  const idleSeconds = Number(warning.dataset.idleSeconds);
  // The gateway notes a session's use at most once a minute (or a tenth of a short limit), so
  // the real end may come that much before idleSeconds after the last request.
  const slack = Math.min(60, idleSeconds / 10);
  const warnBefore = Math.min(120, idleSeconds / 2) + slack;
  const countdown = warning.querySelector("[data-app-timeout-countdown]");
  let warnTimer = 0;
  let endTimer = 0;
  let tick = 0;
  let returnTo = null;

  const minutes = (seconds) => {
    if (seconds >= 60) {
      const m = Math.ceil(seconds / 60);
      return `${m} minute${m === 1 ? "" : "s"}`;
    }
    const s = Math.max(0, Math.ceil(seconds));
    return `${s} second${s === 1 ? "" : "s"}`;
  };

  const ended = () => {
    window.clearInterval(tick);
    warning.querySelector("[data-app-timeout-live]").hidden = true;
    warning.querySelector("[data-app-timeout-ended]").hidden = false;
    if (!warning.open) warning.showModal();
    focusOn(warning.querySelector("[data-app-timeout-ended] h2"));
    announce("You have been signed out. What you typed is still on this page.");
  };

  const restart = () => {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    window.clearInterval(tick);
    const start = Date.now();
    const endsAt = start + (idleSeconds - slack) * 1000;
    warnTimer = window.setTimeout(() => {
      returnTo = document.activeElement;
      countdown.textContent = minutes((endsAt - Date.now()) / 1000);
      warning.showModal();
      focusOn(warning.querySelector("h2"));
      announce(`You will be signed out in ${countdown.textContent}.`);
      // The visible countdown moves every second; screen readers hear it each minute.
      let said = countdown.textContent;
      tick = window.setInterval(() => {
        countdown.textContent = minutes((endsAt - Date.now()) / 1000);
        if (countdown.textContent.endsWith("minute") || countdown.textContent.endsWith("minutes")) {
          if (countdown.textContent !== said) announce(`You will be signed out in ${countdown.textContent}.`);
          said = countdown.textContent;
        }
      }, 1000);
    }, Math.max(0, idleSeconds - warnBefore) * 1000);
    endTimer = window.setTimeout(ended, Math.max(0, idleSeconds - slack) * 1000);
  };

  const stay = async () => {
    const token = JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"];
    const answer = await fetch("/session/keep-alive", {
      method: "POST",
      headers: { "X-CSRF-Token": token || "" },
      credentials: "same-origin",
      redirect: "manual",
    });
    if (answer.status !== 204) {
      ended();
      return;
    }
    warning.close();
    restart();
    if (returnTo && returnTo.isConnected) returnTo.focus();
    announce("You are still signed in.");
  };

  warning.querySelector("[data-app-timeout-stay]").addEventListener("click", stay);
  // Escape means "not now", as in the GOV.UK pattern: it keeps the person signed in too.
  warning.addEventListener("cancel", (event) => {
    event.preventDefault();
    if (warning.querySelector("[data-app-timeout-ended]").hidden) stay();
    else warning.close();
  });
  warning.querySelector("[data-app-timeout-close]").addEventListener("click", () => warning.close());
  // Any request to the server keeps the session alive: start again after each.
  document.body.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.successful) restart();
  });
  restart();
}

// ---------------------------------------------------------------------------------------------
// A form posted after the session ended comes back here after signing in (the web app puts
// what was typed in #app-kept-form): fill the form again, unsaved, and say so.
function fill(form, fields) {
  const seen = new Set();
  for (const [name, value] of fields) {
    const control = form.elements.namedItem(name);
    if (!control) continue;
    if (control instanceof RadioNodeList || (control.type === "checkbox" || control.type === "radio")) {
      const options = control instanceof RadioNodeList ? [...control] : [control];
      for (const option of options) {
        if (option.type === "checkbox" || option.type === "radio") {
          if (!seen.has(name)) option.checked = false;
          if (option.value === value) option.checked = true;
        } else {
          option.value = value;
        }
      }
      seen.add(name);
    } else {
      control.value = value;
    }
  }
}

function keptFormOf(kept) {
  // Several forms can post to one address (one per savings line): the hidden fields say which.
  const hidden = new Map(kept.fields);
  return [...document.querySelectorAll('form[method="post"]')].find((form) => {
    if (new URL(form.action, location.href).pathname !== kept.action) return false;
    return [...form.querySelectorAll('input[type="hidden"]')].every(
      (input) => input.name === "version" || !hidden.has(input.name) || hidden.get(input.name) === input.value,
    );
  });
}

function restored(form) {
  const banner = document.getElementById("app-kept-banner");
  if (banner) {
    banner.hidden = false;
    focusOn(banner);
  } else {
    focusOn(firstField(form.parentElement));
  }
  announce("What you typed before you were signed out is back in the form. It is not saved yet.");
}

const keptData = document.getElementById("app-kept-form");
if (keptData) {
  const kept = JSON.parse(keptData.textContent);
  const form = keptFormOf(kept);
  if (form) {
    fill(form, kept.fields);
    restored(form);
  } else {
    // An inline edit: open it as the person did (its link leads to the address it posts to),
    // then fill it.
    const opener = document.querySelector(`a[hx-get^="${kept.action}/"]`);
    if (opener) {
      document.body.addEventListener(
        "htmx:afterSettle",
        () => {
          const opened = keptFormOf(kept);
          if (opened) {
            fill(opened, kept.fields);
            restored(opened);
          }
        },
        { once: true },
      );
      opener.click();
    }
  }
}
