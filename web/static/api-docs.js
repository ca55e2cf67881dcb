// Starts Swagger UI (vendored in /static/vendor/swagger-ui/) on the merged OpenAPI document.
// A file rather than an inline script, so the page keeps the app's Content-Security-Policy.
window.addEventListener("DOMContentLoaded", () => {
  window.ui = SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: false, // its links sit inside the operations' buttons (nested controls)
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    validatorUrl: null, // never send the document to an outside validator
    withCredentials: true,
    onComplete: () => {
      // Swagger UI leaves its servers list without a label (WCAG 4.1.2).
      document.querySelector("#servers")?.setAttribute("aria-label", "Server");
    },
  });
});
