"""A read shape filled from its rows: what is worked out is given, the rest read by name."""

import doctest
from types import SimpleNamespace

import pytest
from pydantic import BaseModel, ValidationError

import common.read_shapes
from common.read_shapes import read_shape


class Figures(BaseModel):
    name: str
    planned: int
    done: int
    note: str = ""


def test_fields_not_given_are_read_from_the_first_row_that_has_them() -> None:
    line = SimpleNamespace(name="Reviews", planned=10)
    month = SimpleNamespace(planned=99, done=4)

    assert read_shape(Figures, line, month) == Figures(name="Reviews", planned=10, done=4)


def test_a_field_given_wins_over_every_row() -> None:
    row = SimpleNamespace(name="Reviews", planned=10, done=4)

    assert read_shape(Figures, row, done=5).done == 5


def test_a_field_no_row_has_keeps_its_default_or_is_refused_when_it_has_none() -> None:
    assert read_shape(Figures, SimpleNamespace(name="A", planned=1, done=0)).note == ""
    with pytest.raises(ValidationError, match="done"):
        read_shape(Figures, SimpleNamespace(name="A", planned=1))


def test_a_given_field_the_shape_lacks_is_refused() -> None:
    with pytest.raises(TypeError, match="Figures has no field percent"):
        read_shape(Figures, SimpleNamespace(name="A", planned=1, done=0), percent="0.0")


def test_the_example_in_its_docstring_holds() -> None:
    result = doctest.testmod(common.read_shapes)
    assert result.attempted >= 1
    assert result.failed == 0
