"""Named Python predicates: the code behind each rule of the catalog (architecture.md 5).

Every catalog file names its predicate (``predicate = "statutory.s2_law_in_force"``); the test of
the catalog checks that each name is registered here and each registered name is used. Modules
register their functions with :func:`register` when imported; :func:`registry` imports them.
"""

from __future__ import annotations

from typing import Callable

_PREDICATES: dict[str, Callable] = {}


def register(name: str) -> Callable[[Callable], Callable]:
    def wrap(fn: Callable) -> Callable:
        if name in _PREDICATES and _PREDICATES[name] is not fn:
            raise ValueError(f"predicate {name} registered twice")
        _PREDICATES[name] = fn
        return fn
    return wrap


def registry() -> dict[str, Callable]:
    from . import precedence_predicates, statutory  # noqa: F401  (registration on import)

    return dict(_PREDICATES)


def resolve(name: str) -> Callable:
    found = registry().get(name)
    if found is None:
        raise KeyError(f"no predicate named {name}")
    return found
