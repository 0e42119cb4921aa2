"""The one source of randomness of a generation run, and weighted choice over it.

Every draw of a run comes from one ``random.Random(seed)``, held by a :class:`Dice` that all the
helpers share, so the same arguments always give the same bytes — as long as the draws happen in the
same order. Adding, dropping or reordering a draw changes the output: bump
``generator.GENERATOR_VERSION`` and regenerate ``resources/sample`` (see its README.txt).
"""

from __future__ import annotations

import bisect
import random
from typing import Callable, Generic, Sequence, TypeVar

T = TypeVar("T")


class Dice:
    """``rng`` (a ``random.Random``), its ``rnd = rng.random`` and two cheap helpers built on it."""

    __slots__ = ("rng", "rnd", "pick", "below")

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.rnd = rnd = self.rng.random

        def pick(seq):
            """``random.choice`` with one ``random()`` call (much cheaper than ``_randbelow``)."""
            return seq[int(rnd() * len(seq))]

        def below(n: int) -> int:
            return int(rnd() * n)

        self.pick, self.below = pick, below


class Picker(Generic[T]):
    """Weighted choice driven by a caller-supplied ``random()`` (one call per pick, no allocation)."""

    __slots__ = ("items", "_cum", "_total")

    def __init__(self, weighted: Sequence[tuple[T, float]]):
        if not weighted:
            raise ValueError("empty picker")
        self.items: list[T] = [item for item, _ in weighted]
        self._cum: list[float] = []
        total = 0.0
        for _, w in weighted:
            total += w
            self._cum.append(total)
        self._total = total

    def __call__(self, rnd: Callable[[], float]) -> T:
        return self.items[bisect.bisect_right(self._cum, rnd() * self._total)]
