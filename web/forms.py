"""One way to create and change a record from a page.

A `Form` declares its questions (label, hint, kind, choices, the message when one is left
empty); a `Resource` says which API operations read, create and change the record. `add_pages`
gives every resource the same four pages, so each form works the same way:

* a GOV.UK question page with an error summary linking to each field, keeping what was typed;
* the API's 422 field errors shown on the question they belong to, all at once;
* a change sent with the ETag the form was opened with, in If-Match; on a 412 a page that
  shows their version beside the person's and lets them keep theirs or apply theirs again;
* a 403 that says what the person may not do and who may; an unknown id is the 404 page.
"""

import re
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel
from starlette.datastructures import FormData

from web.clients.gateway import (
    ApiError,
    Editable,
    Endpoint,
    Gateway,
    GatewayClient,
    Tagged,
)
from web.rendering import render
from web.roles import Area, may_change, refusal
from web.views.dashboard import PageContext

Kind = Literal[
    "text",
    "textarea",
    "lines",
    "select",
    "radios",
    "checkboxes",
    "yes_no",
    "date",
    "month",
    "money",
    "number",
]
Choices = Sequence[tuple[str, str]]
NOT_SET_WHEN_EMPTY = frozenset({"date", "month", "money", "number"})
"""Kinds of answer that the API takes as not set when left empty, never as an empty string."""
HINTS = {
    "date": "For example, 2026-03-27",
    "month": "For example, 2026-04",
}


@dataclass(frozen=True)
class Question:
    """One field of a form. `required` is the message when it is left empty ("" = optional);
    `empty` is what an empty answer is sent as (None for a field the API treats as "not set").
    An empty date, month, amount of money or number is always sent as None."""

    name: str
    label: str
    kind: Kind = "text"
    hint: str = ""
    choices: Choices = ()
    required: str = ""
    empty: Any = ""
    width: str = ""
    roles: frozenset[str] = frozenset()
    """Only people with one of these roles are asked (empty: everyone who may use the form);
    others see the answer on the record's page but not as a question (a project's lead team)."""

    @property
    def many(self) -> bool:
        return self.kind == "checkboxes"

    def shown(self, value: Any) -> str | list[str]:
        """The API's value as the form shows it."""
        if self.many:
            return [str(v) for v in value or []]
        if self.kind == "lines":
            return "\n".join(str(v) for v in value or [])
        if value is None:
            return ""
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)

    def sent(self, answer: str | list[str]) -> Any:
        """The form's answer as the API takes it."""
        if self.many:
            return [a for a in answer if a]
        text = str(answer).strip()
        if self.kind == "lines":
            return [line.strip() for line in text.splitlines() if line.strip()] or self.empty
        if self.kind == "yes_no":
            return text == "yes" if text else self.empty
        if self.kind in NOT_SET_WHEN_EMPTY:
            return text or None
        return text if text else self.empty

    def problem(self, answer: str | list[str]) -> str | None:
        """What is wrong with an answer that is not empty, before the API sees it, so a form's
        errors all show at once; the API's own rules come after."""
        if self.many or not str(answer).strip():
            return None
        text = str(self.sent(answer))
        checks: dict[str, tuple[Callable[[str], object], str]] = {
            "date": (date.fromisoformat, "must be a real date, like 2026-03-27"),
            "month": (_month, "must be a month, like 2026-04"),
            "money": (_money, "must be an amount of money, like 1250.50 or £376k"),
            "number": (Decimal, "must be a number"),
        }
        if self.kind in checks:
            parse, words = checks[self.kind]
            try:
                parse(text)
            except (ValueError, ArithmeticError):
                return f"{self.label} {words}"
        static = [value for value, _ in self.choices]
        if self.kind in ("radios", "select") and static and text not in static:
            return f"Select {self.label.lower()} from the list"
        return None

    def hint_text(self) -> str:
        """The hint, then for a date or a month an example of how to write one."""
        return " ".join(text for text in (self.hint, HINTS.get(self.kind, "")) if text)


@dataclass(frozen=True)
class Step:
    """One question page of a form asked in steps: its heading and the questions on it."""

    title: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Form:
    questions: tuple[Question, ...]
    steps: tuple[Step, ...] = ()
    """A new record's questions in pages, then "Check your answers" (empty: one page)."""

    def __iter__(self) -> Any:
        return iter(self.questions)

    @property
    def names(self) -> list[str]:
        return [q.name for q in self.questions]

    def for_roles(self, roles: Iterable[str]) -> "Form":
        """The questions someone with `roles` is asked (a step left with none is skipped)."""
        held = set(roles)
        asked = tuple(q for q in self.questions if not q.roles or q.roles & held)
        names = {q.name for q in asked}
        steps = (Step(s.title, tuple(n for n in s.names if n in names)) for s in self.steps)
        return Form(asked, tuple(s for s in steps if s.names))

    def step(self, index: int) -> "Form":
        """The questions of one step, in the form's order."""
        names = set(self.steps[index].names)
        return Form(tuple(q for q in self.questions if q.name in names))

    def step_of(self, name: str) -> int:
        """The step that asks `name` (the first, for a name no step asks)."""
        return next((i for i, s in enumerate(self.steps) if name in s.names), 0)

    def from_record(self, record: BaseModel | Mapping[str, Any]) -> dict[str, Any]:
        data = record if isinstance(record, Mapping) else record.model_dump()
        return {q.name: q.shown(data.get(q.name)) for q in self.questions}

    def from_post(self, data: FormData) -> dict[str, Any]:
        """The answers sent. A question the browser sent nothing for is left out (radios with
        none chosen), so a change never clears it; unticked checkboxes are an empty list."""
        return {
            q.name: [str(v) for v in data.getlist(q.name)] if q.many else str(data[q.name])
            for q in self.questions
            if q.many or q.name in data
        }

    def check(self, values: Mapping[str, Any]) -> dict[str, str]:
        """Every question left empty that must be answered, and every answer that is not the
        kind of answer asked for, all at once."""
        errors: dict[str, str] = {}
        for q in self.questions:
            answer = values.get(q.name, [] if q.many else "")
            if q.required and q.sent(answer) in ("", None, []):
                errors[q.name] = q.required
            elif problem := q.problem(answer):
                errors[q.name] = problem
        return errors

    def payload(
        self, values: Mapping[str, Any], before: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """What to send: the answers given for a new record (an empty "not set" is left out, so
        the API's default applies); only the changed ones for a change."""
        if before is None:
            sent = {q.name: q.sent(values[q.name]) for q in self if q.name in values}
            return {name: value for name, value in sent.items() if value is not None}
        return {
            q.name: q.sent(values[q.name])
            for q in self.questions
            if q.name in values and _differs(q, values[q.name], before.get(q.name))
        }

    def api_errors(
        self, error: ApiError, rename: Callable[[str], str] = lambda path: path
    ) -> dict[str, str]:
        """The API's field messages on the questions they belong to ("objective_ids.1" is the
        objective_ids question); a message for no question goes on the first."""
        messages: dict[str, str] = {}
        first = self.questions[0].name
        for sent_path, message in error.field_errors().items():
            path = rename(sent_path)
            name = next((n for n in self.names if path == n or path.startswith(n + ".")), first)
            question = next(q for q in self.questions if q.name == name)
            if question.choices and message.startswith("Select ") and "'" in message:
                # the API lists its codes ('in_delivery'); the page names the question instead
                message = f"Select {question.label.lower()} from the list"
            messages.setdefault(name, message)
        if not messages:
            messages[first] = str(error.problem.get("detail") or "This could not be saved")
        return messages


MONEY = re.compile(r"-?£?\s*\d[\d,]*(\.\d+)?\s*[kKmM]?")


def _money(text: str) -> str:
    """An amount as the API reads it ("1,234.50", "£376k", "£1.2m"); anything else is a
    ValueError."""
    if not MONEY.fullmatch(text.strip()):
        raise ValueError(text)
    return text


def _month(text: str) -> date:
    """ "2026-04" as the first of its month; anything else is a ValueError."""
    year, _, month = text.partition("-")
    if len(year) != 4 or len(month) != 2:
        raise ValueError(text)
    return date(int(year), int(month), 1)


def _differs(question: Question, answer: Any, before: Any) -> bool:
    if question.many:
        return sorted(answer or []) != sorted(before or [])
    return bool(question.sent(answer or "") != question.sent(before or ""))


Options = Callable[[GatewayClient, Request], Awaitable[dict[str, Choices]]]
Owner = Callable[[GatewayClient, Mapping[str, Any], Any], Awaitable[str | None]]
"""Whether the person may change this record (or add one like it): None if they may, else
the sentence that says who may (a project's lead team, a savings line's owner)."""


async def _no_options(_gateway: GatewayClient, _request: Request) -> dict[str, Choices]:
    return {}


async def _anyone(_gateway: GatewayClient, _page: Mapping[str, Any], _record: Any) -> str | None:
    return None


async def _nothing_instead(
    _gateway: GatewayClient, _values: Mapping[str, Any], _errors: Mapping[str, str]
) -> list[tuple[str, str]]:
    return []


@dataclass(frozen=True)
class Resource:
    """A kind of record the pages create and change through the API.

    `base` is its pages' address ("/projects"); `noun` names one ("project");
    `done(record)` is where to go after saving; `defaults(request)` prefills a new one (from
    the query, e.g. the project a milestone belongs to)."""

    base: str
    noun: str
    form: Form
    area: Area
    """Who may change one; `create_area` who may add one, when that differs."""
    api: Editable[Any]
    """The API's operations on one: read, add, change, and retire and restore if it has them."""
    done: Callable[[Any], str] | None = None
    """Where to go after saving (unless said, the record's own page: `{base}/{id}`)."""
    back: Callable[[Request, Any | None], str] | None = None
    """The Back link (unless said, the record's own page, or the list at `base` for a new one)."""
    listed_on: str | None = None
    """The page that lists these records when they have no page of their own (priorities, on
    the objectives page): where saving one goes, and its Back link, unless `done` or `back` say."""
    defaults: Callable[[Request], dict[str, Any]] = lambda request: {}
    options: Options = _no_options
    caption: Callable[[Any | None], str] = lambda record: ""
    hidden: tuple[str, ...] = ()
    """Fields a new record takes from `defaults` without asking (the milestone's project)."""
    nav: str = ""
    create_area: Area | None = None
    owner: Owner = _anyone
    """The finer ownership rule, given the record (or for a new one, its `defaults`)."""
    unasked: Callable[[Mapping[str, Any]], dict[str, Any]] = lambda page: {}
    """What a new record takes from the person adding it for a question they are not asked
    (a service lead's savings line is their own team's)."""
    read_more: Callable[[Mapping[str, Any]], dict[str, Any]] = lambda data: {}
    """Answers the record holds in another shape (a savings line's targets, one a year)."""
    write_more: Callable[[dict[str, Any], Mapping[str, Any]], dict[str, Any]] = (
        lambda payload, values: payload
    )
    """The payload with those answers folded back into the API's shape (given every answer,
    for a shape that needs the unchanged ones beside the changed)."""
    instead: Callable[
        [GatewayClient, Mapping[str, Any], Mapping[str, str]], Awaitable[list[tuple[str, str]]]
    ] = _nothing_instead
    """Links beside a new record's errors to what to do instead (change the month's report
    rather than writing a second), as (text, address)."""
    more_questions: Callable[[Any | None], tuple[Question, ...]] = lambda record: ()
    """Questions that depend on the record (a budget line's amount for each of its years)."""
    create_form: Form | None = None
    """The questions of a new record, when it is asked more than a change (a KPI's targets)."""
    error_field: Callable[[str, Mapping[str, Any]], str] = lambda path, payload: path
    """The question an API error on `path` of the sent payload belongs to (`targets.1.value`
    is the second year's target)."""

    def shown(self, form: "Form", record: Any) -> dict[str, Any]:
        """The record as the form shows it."""
        data = record.model_dump()
        return form.from_record(data | self.read_more(data))

    def id_in(self, request: Request) -> str:
        """The id of the record a page is about, from the page's path."""
        return str(request.path_params[self.api.id_name])

    def ids(self, request: Request) -> dict[str, object]:
        """That id as the API's path names it: {"project_id": …}."""
        return {self.api.id_name: self.id_in(request)}

    def done_page(self, record: Any) -> str:
        if self.done is not None:
            return self.done(record)
        return self.listed_on or f"{self.base}/{record.id}"

    def back_page(self, request: Request, record: Any | None) -> str:
        if self.back is not None:
            return self.back(request, record)
        if self.listed_on is not None:
            return self.listed_on
        return self.done_page(record) if record is not None else self.base

    def title(self, record: Any | None) -> str:
        return f"Change {self.noun}" if record is not None else f"Add {_a(self.noun)}"


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def add_pages(router: APIRouter, resource: Resource) -> None:
    """The new and change pages of `resource`, on `router`."""
    r = resource

    @router.get(f"{r.base}/new", response_class=HTMLResponse, name=f"new {r.noun}")
    async def new(request: Request, page: PageContext, gateway: Gateway) -> Response:
        form = _form(page, r, new=True)
        values = {q.name: q.shown(None) for q in form} | r.defaults(request)
        if not _allowed(page, r.create_area or r.area):
            return _refused(request, page, r, None)
        if refused := await r.owner(gateway, page, values):
            return _refused(request, page, r, None, refused)
        return await _question_page(request, page, gateway, r, None, values, {}, "", Asking(0))

    @router.post(f"{r.base}/new", response_class=HTMLResponse, name=f"add {r.noun}")
    async def add(request: Request, page: PageContext, gateway: Gateway) -> Response:
        """A step's answers (`step`), a Change button of "Check your answers" (`change`),
        or every answer at once: the one-page form, or "Create" after checking."""
        data = await request.form()
        form = _form(page, r, new=True)
        values = form.from_post(data)
        for name in r.hidden:
            values[name] = str(data.get(name, ""))
        if form.steps and "change" in data:
            step = form.step_of(str(data["change"]))
            return await _question_page(
                request, page, gateway, r, None, values, {}, "", Asking(step, True)
            )
        if form.steps and "step" in data:
            asked = Asking(_step_number(data.get("step"), form), bool(data.get("returning")))
            errors = form.step(asked.step).check(values)
            if not errors and (asked.returning or asked.step == len(form.steps) - 1):
                return await _check_page(request, page, gateway, r, values)
            if not errors:
                asked = Asking(asked.step + 1)
            return await _question_page(request, page, gateway, r, None, values, errors, "", asked)
        errors = form.check(values)
        if not errors:
            payload = form.payload(values) | {n: values[n] for n in r.hidden}
            payload = r.write_more(r.unasked(page) | payload, values)
            try:
                record = await gateway.call(r.api.create, json=payload)
            except ApiError as error:
                if error.status == 403:
                    action = f"add {_a(r.noun)}"
                    message = _refusal(error, action, r.create_area or r.area)
                    errors = {form.names[0]: message}
                elif error.status == 404:
                    return _not_found(request, page)
                else:
                    errors = form.api_errors(error, lambda path: r.error_field(path, payload))
            else:
                return RedirectResponse(r.done_page(record), status_code=303)
        # Back to the one page with problems, the others' answers carried along; problems on
        # several pages are shown all at once, on one page that asks every question.
        steps = {form.step_of(name) for name in errors}
        asking = Asking(steps.pop(), returning=True) if len(steps) == 1 else None
        return await _question_page(request, page, gateway, r, None, values, errors, "", asking)

    path = f"{r.base}/{{{r.api.id_name}}}/edit"

    @router.get(path, response_class=HTMLResponse, name=f"change {r.noun}")
    async def edit(request: Request, page: PageContext, gateway: Gateway) -> Response:
        found = await _to_change(request, page, gateway, r)
        if isinstance(found, HTMLResponse):
            return found
        values = r.shown(_form(page, r, found.record), found.record)
        return await _question_page(request, page, gateway, r, found.record, values, {}, found.etag)

    @router.post(path, response_class=HTMLResponse, name=f"save {r.noun}")
    async def save(request: Request, page: PageContext, gateway: Gateway) -> Response:
        data = await request.form()
        found = await _current(gateway, r, request)
        if found is None:
            return _not_found(request, page)
        if data.get("conflict") == "theirs":
            return RedirectResponse(r.done_page(found.record), status_code=303)
        form = _form(page, r, found.record)
        values = form.from_post(data)
        etag = str(data.get("etag", ""))
        errors = form.check(values)
        if not errors:
            before = r.shown(form, found.record)
            payload = r.write_more(form.payload(values, before), values)
            try:
                saved = await gateway.call(
                    r.api.change,
                    r.ids(request),
                    json=payload,
                    headers={"if-match": etag},
                )
            except ApiError as error:
                if error.status == 412:
                    return _conflict(request, page, r, found, values)
                if error.status == 404:
                    return _not_found(request, page)
                if error.status == 403:
                    message = _refusal(error, f"change this {r.noun}", r.area)
                    errors = {form.names[0]: message}
                else:
                    errors = form.api_errors(error, lambda path: r.error_field(path, payload))
            else:
                return RedirectResponse(r.done_page(saved), status_code=303)
        return await _question_page(request, page, gateway, r, found.record, values, errors, etag)

    if r.api.retire is not None and r.api.restore is not None:
        for endpoint, verb in ((r.api.retire, "retire"), (r.api.restore, "restore")):
            _add_retiring(router, r, endpoint, verb)


RETIRED = Question("retired", "Retired", "yes_no")
"""The conflict page's row for whether the record is retired."""


def _add_retiring(router: APIRouter, r: Resource, endpoint: Endpoint[Any], verb: str) -> None:
    """POST `{base}/{id}/retire` (or `restore`): the change page's button, with its ETag."""
    path = f"{r.base}/{{{r.api.id_name}}}/{verb}"

    @router.post(path, response_class=HTMLResponse, name=f"{verb} {r.noun}")
    async def retiring(request: Request, page: PageContext, gateway: Gateway) -> Response:
        data = await request.form()
        found = await _to_change(request, page, gateway, r)
        if isinstance(found, HTMLResponse):
            return found
        if data.get("conflict") == "theirs":
            return RedirectResponse(r.done_page(found.record), status_code=303)
        try:
            saved = await gateway.call(
                endpoint,
                r.ids(request),
                headers={"if-match": str(data.get("etag", ""))},
            )
        except ApiError as error:
            if error.status == 412:
                mine = r.shown(_form(page, r, found.record), found.record) | {
                    "retired": "yes" if verb == "retire" else "no"
                }
                return _conflict(request, page, r, found, mine, action=request.url.path)
            if error.status == 404:
                return _not_found(request, page)
            if error.status == 403:
                message = _refusal(error, f"{verb} this {r.noun}", r.area)
                return _refused(request, page, r, found.record, message)
            raise
        return RedirectResponse(r.done_page(saved), status_code=303)


@dataclass(frozen=True)
class Asking:
    """Which step of a new record's questions is shown; `returning` once its answers have been
    checked, so the next Continue goes back to "Check your answers"."""

    step: int
    returning: bool = False


def _step_number(sent: object, form: Form) -> int:
    try:
        return min(max(int(str(sent)), 0), len(form.steps) - 1)
    except ValueError:
        return 0


def _form(
    page: Mapping[str, Any], r: Resource, record: Any | None = None, *, new: bool = False
) -> Form:
    """The questions this person is asked about `record` (or a new one)."""
    me = page.get("me")
    form = r.create_form if new and r.create_form is not None else r.form
    form = Form(form.questions + r.more_questions(record), form.steps)
    return form.for_roles(me.roles if me is not None else ())


def _refusal(error: ApiError, action: str, area: Area) -> str:
    """The API's reason, when it gives one, after the sentence every refusal starts with."""
    detail = str(error.problem.get("detail") or "")
    if not detail or detail == "Forbidden":
        return refusal(action, area)
    return f"You do not have permission to {action}. {detail}"


def _allowed(page: Mapping[str, Any], area: Area) -> bool:
    me = page.get("me")
    return me is not None and may_change(me.roles, area)


async def _to_change(
    request: Request, page: Mapping[str, Any], gateway: GatewayClient, r: Resource
) -> Tagged[Any] | HTMLResponse:
    """The record with its ETag, if this person may change it; else the 404 or 403 page."""
    found = await _current(gateway, r, request)
    if found is None:
        return _not_found(request, page)
    if not _allowed(page, r.area):
        return _refused(request, page, r, found.record)
    if refused := await r.owner(gateway, page, found.record):
        return _refused(request, page, r, found.record, refused)
    return found


async def _current(gateway: GatewayClient, r: Resource, request: Request) -> Tagged[Any] | None:
    try:
        return await gateway.call_tagged(r.api.read, r.ids(request))
    except ApiError as error:
        if error.status in (404, 422):
            return None
        raise


async def _question_page(
    request: Request,
    page: Mapping[str, Any],
    gateway: GatewayClient,
    r: Resource,
    record: Any | None,
    values: Mapping[str, Any],
    errors: Mapping[str, str],
    etag: str,
    asking: Asking | None = None,
) -> HTMLResponse:
    """A record's question page: its change page, a new one's form, or one step of it."""
    options = await r.options(gateway, request)
    action = f"{r.base}/{r.id_in(request)}/edit" if record is not None else f"{r.base}/new"
    form = _form(page, r, record, new=record is None)
    heading, caption, carried = r.title(record), r.caption(record), Form(())
    asking = asking if form.steps else None
    if asking is not None:
        shown = form.step(asking.step)
        carried = Form(tuple(q for q in form if q.name not in shown.names))
        errors = {name: message for name, message in errors.items() if name in shown.names}
        heading, caption = form.steps[asking.step].title, r.title(None)
        form = shown
    return render(
        request,
        "forms/question_page.html",
        {
            **page,
            "nav": r.nav,
            "title": ("Error: " if errors else "") + heading,
            "heading": heading,
            "caption": caption,
            "form": form,
            "carried": carried,
            "asking": asking,
            "options": options,
            "values": values,
            "errors": errors,
            "etag": etag,
            "action": action,
            "back": r.back_page(request, record),
            "hidden": {n: values.get(n, "") for n in r.hidden},
            "retiring": _retiring_action(r, request, record),
            "instead": await r.instead(gateway, values, errors) if record is None else [],
        },
        status_code=422 if errors else 200,
    )


async def _check_page(
    request: Request,
    page: Mapping[str, Any],
    gateway: GatewayClient,
    r: Resource,
    values: Mapping[str, Any],
) -> HTMLResponse:
    """GOV.UK "Check your answers": every answer by step, each with a Change button that goes
    back to its question with everything typed kept, then Create."""
    form = _form(page, r, new=True)
    sections = [(step.title, form.step(i)) for i, step in enumerate(form.steps)]
    return render(
        request,
        "forms/check_answers.html",
        {
            **page,
            "nav": r.nav,
            "title": f"Check your answers before adding {_a(r.noun)}",
            "caption": r.title(None),
            "noun": r.noun,
            "sections": sections,
            "form": form,
            "options": await r.options(gateway, request),
            "values": values,
            "action": f"{r.base}/new",
            "back": r.back_page(request, None),
            "hidden": {n: values.get(n, "") for n in r.hidden},
        },
    )


def _retiring_action(r: Resource, request: Request, record: Any | None) -> dict[str, str]:
    """The change page's retire (or restore) button: where it posts and what it says."""
    if record is None or r.api.retire is None:
        return {}
    verb = "restore" if getattr(record, "retired", False) else "retire"
    return {
        "action": f"{r.base}/{r.id_in(request)}/{verb}",
        "label": f"{verb.capitalize()} this {r.noun}",
        "verb": verb,
        "noun": r.noun,
    }


def _conflict(
    request: Request,
    page: Mapping[str, Any],
    r: Resource,
    found: Tagged[Any],
    values: Mapping[str, Any],
    action: str = "",
) -> HTMLResponse:
    """Someone saved the record after this person opened it: show both and let them choose."""
    form = _form(page, r, found.record)
    theirs = r.shown(form, found.record)
    if "retired" in values:
        form = Form((*form.questions, RETIRED))
        theirs["retired"] = "yes" if getattr(found.record, "retired", False) else "no"
    rows = [
        {
            "question": q,
            "theirs": theirs.get(q.name),
            "mine": values.get(q.name),
            "differs": _differs(q, values.get(q.name), theirs.get(q.name)),
        }
        for q in form
    ]
    return render(
        request,
        "forms/conflict.html",
        {
            **page,
            "nav": r.nav,
            "title": "Someone else changed this since you opened it",
            "noun": r.noun,
            "rows": rows,
            "form": form,
            "values": values,
            "etag": found.etag,
            "action": action or f"{r.base}/{r.id_in(request)}/edit",
            "back": r.done_page(found.record),
        },
        status_code=409,
    )


def _not_found(request: Request, page: Mapping[str, Any]) -> HTMLResponse:
    return render(request, "errors/404.html", {**page}, status_code=404)


def _refused(
    request: Request,
    page: Mapping[str, Any],
    r: Resource,
    record: Any | None,
    message: str = "",
) -> HTMLResponse:
    action = f"change this {r.noun}" if record is not None else f"add {_a(r.noun)}"
    area = r.area if record is not None else r.create_area or r.area
    message = message or refusal(action, area)
    return render(request, "errors/403.html", {**page, "message": message}, status_code=403)


def choices_of(labels: Mapping[str, str]) -> Choices:
    return list(labels.items())


def unless_allowed(
    request: Request, page: Mapping[str, Any], action: str, area: Area
) -> HTMLResponse | None:
    """The permission page for someone whose role may not `action` here, else None: a page
    that only changes things is never shown to someone who cannot use it."""
    if _allowed(page, area):
        return None
    message = refusal(action, area)
    return render(request, "errors/403.html", {**page, "message": message}, status_code=403)
