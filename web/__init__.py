"""The web front end: server-rendered pages (Jinja2 + htmx) over the gateway's API."""
