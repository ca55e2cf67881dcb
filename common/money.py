"""Exact money: Decimal pounds with pence, never float, and the council's ways of writing it."""

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

from common.quantities import PLAIN, Unit, read_quantity

PENNY = Decimal("0.01")
LIMIT = Decimal("1e12")
"""No council budget line reaches a trillion pounds: bigger is a typing mistake (and the money
columns hold 12 digits of pounds)."""


def parse_money(text: str, unit: Unit = PLAIN) -> Decimal:
    """Read an amount the way council papers write it (`common.quantities` reads every import's
    numbers; `unit` is the column heading's, "£m" and the like), or say plainly why not.

    >>> parse_money("£1.2m"), parse_money("£376k"), parse_money("1,234.50"), parse_money("-£5k")
    (Decimal('1200000.00'), Decimal('376000.00'), Decimal('1234.50'), Decimal('-5000.00'))
    >>> from common.quantities import header_unit
    >>> parse_money("(4.2)", header_unit("Variance £m"))
    Decimal('-4200000.00')
    """
    try:
        quantity = read_quantity(text, unit)
    except ValueError as error:
        message = str(error).replace("is not a number", "is not an amount of money")
        raise ValueError(message) from None
    if quantity.percent:
        raise ValueError(f'"{text.strip()}" is a percentage, not an amount of money')
    return _exact_pence(quantity.value, text.strip())


def _exact_pence(amount: Decimal, shown: str) -> Decimal:
    if not amount.is_finite():
        raise ValueError("an amount of money must be a finite number")
    if abs(amount) >= LIMIT:
        raise ValueError(f'"{shown}" is too large; amounts must be under £1,000bn')
    if amount != amount.quantize(PENNY):
        raise ValueError(f'"{shown}" has fractions of a penny')
    return amount.quantize(PENNY)


def to_money(value: Any) -> Decimal:
    """Coerce API input (string, int, Decimal, JSON number) to exact pounds and pence."""
    if isinstance(value, bool):
        raise ValueError("an amount of money must be a number, not true/false")
    if isinstance(value, str):
        return parse_money(value)
    if isinstance(value, float):
        # JSON numbers arrive as floats; their shortest repr is the digits that were sent.
        value = Decimal(repr(value))
    if isinstance(value, int | Decimal):
        try:
            amount = Decimal(value)
        except InvalidOperation:
            raise ValueError("not a number") from None
        return _exact_pence(amount, str(amount))
    raise ValueError('an amount of money must be a number or text like "£376k"')


def format_money(amount: Decimal, *, short: bool = False) -> str:
    """£1,234.50, or with `short` the way reports write big sums: £1.2m, £376k.

    >>> format_money(Decimal("-5399000"), short=True)
    '-£5.399m'
    """
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if short and amount >= 1_000_000:
        return f"{sign}£{_trim(amount / 1_000_000, 3)}m"
    if short and amount >= 1_000:
        return f"{sign}£{_trim(amount / 1_000, 1)}k"
    return f"{sign}£{amount:,.2f}"


def _trim(value: Decimal, places: int) -> str:
    text = f"{value:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


Money = Annotated[
    Decimal,
    BeforeValidator(to_money),
    PlainSerializer(lambda d: f"{d:.2f}", return_type=str, when_used="json"),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^-?\d+\.\d{2}$",
            "description": 'Pounds and pence as a decimal string ("1234.50"). Input also accepts '
            'numbers and "£376k", "£1.2m", "1,234.50".',
            "examples": ["376000.00"],
        },
        mode="serialization",
    ),
]
"""Pydantic type for money fields: exact, two decimal places, serialised as a string."""
