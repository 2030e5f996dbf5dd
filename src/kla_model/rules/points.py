"""Exact points: every number of a rule file means the decimal written there.

A number read from a rule file or a submission is held as the float nearest the decimal
written (``6.7``), whose shortest ``repr`` is that decimal again.  Arithmetic on floats would
not be exact (``6.7 + 19 + 31 + 32.1 + 29.8 + 31.1`` is ``149.70000000000002``), so points are
added in whole units of the ruleset's :class:`Resolution` (hundredths of a point, or finer
when the rule file writes finer numbers), and every sum is handed back as the float nearest
the exact decimal sum.  Two such floats compare exactly as their decimals do: rounding to the
nearest float keeps order, and decimals of at most 15 significant digits never share a float.
See ``docs/decisions.md`` ("Exact points").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

import attrs

from kla_model._base.attrs_repr import attrs_repr

__all__ = [
    "MAX_DECIMALS",
    "PROPORTIONAL_DECIMALS",
    "Resolution",
    "as_fraction",
    "decimal_places",
    "decimal_sum",
    "difference",
    "rounded",
]

#: The finest decimal place a point value, maximum or threshold may use.
MAX_DECIMALS = 6

#: Points made by proportion (a ``linear`` rule) are rounded, half to even, to hundredths.
PROPORTIONAL_DECIMALS = 2

#: Sums stay exact while (number of terms) x (largest sum) x (units per point) is below this:
#: the float error of adding that many terms then stays under a quarter of a unit.
_UNIT_BUDGET = 2.0**50

#: Points that are whole multiples of 2**-16 and add up to less than 2**37 add up exactly in
#: binary floats, so no rounding to units is needed (the bundled rulesets use quarters).
_DYADIC_BITS = 16
_DYADIC_LIMIT = 2.0 ** (53 - _DYADIC_BITS)


def as_fraction(value: float) -> Fraction:
    """The decimal a number was written as, exactly: ``0.1`` is one tenth, not its float."""
    if isinstance(value, int):
        return Fraction(value)
    return Fraction(repr(value))


def decimal_places(value: float) -> int:
    """How many decimal places the number as written has (``2.50`` -> 1, ``1e-07`` -> 7)."""
    if isinstance(value, int) or not math.isfinite(value):
        return 0
    exponent = Decimal(repr(value)).normalize().as_tuple().exponent
    assert isinstance(exponent, int)  # finite, checked above
    return max(-exponent, 0)


def decimal_sum(values: Iterable[float]) -> float:
    """The float nearest the exact sum of the decimals (slow: for building, not scoring)."""
    return float(sum(map(as_fraction, values), Fraction(0)))


def difference(high: float, low: float) -> float:
    """The float nearest ``high - low`` taken as decimals (``600 - 599.7`` is ``0.3``)."""
    return float(as_fraction(high) - as_fraction(low))


def rounded(value: Fraction, decimals: int = PROPORTIONAL_DECIMALS) -> float:
    """``value`` rounded half to even to ``decimals`` places, as the nearest float."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN))


@attrs.frozen
class Resolution:
    """The unit in which a ruleset's points add exactly: ``10 ** -decimals`` of a point.

    ``add(values)`` and ``subtract(high, low)`` return the float nearest the exact decimal
    result.  With
    ``dyadic`` (every point value a multiple of 2**-16, the whole far below 2**37) float
    addition is already exact and the rounding to units is skipped.
    """

    __repr__ = attrs_repr

    decimals: int
    dyadic: bool = False
    scale: int = attrs.field(init=False)
    #: ``add`` itself: ``math.fsum`` for a dyadic resolution (no call in between, since the
    #: engine adds about 30 times per submission), else the sum rounded to whole units.
    add: Callable[[Iterable[float]], float] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "scale", 10**self.decimals)
        object.__setattr__(self, "add", math.fsum if self.dyadic else self._add_units)

    @classmethod
    def of(
        cls, values: Iterable[float], terms: int, largest: float, proportional: bool = False
    ) -> Resolution:
        """The resolution that holds every one of ``values`` and any sum of up to ``terms`` of
        them not above ``largest``; ``proportional`` when some rule makes points by proportion
        (rounded to hundredths, so never dyadic).  ``ValueError`` when no resolution can: a
        number with more than :data:`MAX_DECIMALS` places, or sums too large for that many
        places."""
        numbers = list(values)
        places = max((decimal_places(v) for v in numbers), default=0)
        if places > MAX_DECIMALS:
            fine = next(v for v in numbers if decimal_places(v) == places)
            raise ValueError(f"expected at most {MAX_DECIMALS} decimal places; found {fine!r}")
        decimals = max(places, PROPORTIONAL_DECIMALS)
        if (terms + 1) * max(abs(largest), 1.0) * 10**decimals >= _UNIT_BUDGET:
            raise ValueError(
                f"expected totals that {decimals} decimal places hold exactly; "
                f"found up to {largest:g} from {terms} items"
            )
        scale = 2.0**_DYADIC_BITS
        dyadic = (
            not proportional
            and all((v * scale).is_integer() and v >= 0 for v in numbers)
            and (math.fsum(abs(v) for v in numbers) + abs(largest) < _DYADIC_LIMIT)
        )
        return cls(decimals, dyadic)

    def _add_units(self, values: Iterable[float]) -> float:
        """The float nearest the exact sum of ``values`` (each a number at this resolution)."""
        scale = self.scale
        return round(math.fsum(values) * scale) / scale

    def snap(self, value: float) -> float:
        """A float sum of numbers at this resolution, corrected to the exact decimal sum."""
        if self.dyadic:
            return value
        scale = self.scale
        return round(value * scale) / scale

    def subtract(self, high: float, low: float) -> float:
        """The float nearest ``high - low`` exactly."""
        if self.dyadic:
            return high - low
        scale = self.scale
        return round((high - low) * scale) / scale
