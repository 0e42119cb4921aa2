"""Registers the policy layer's functions (rules/precedence.py) as the predicates of the policy.*
catalog entries. P1, P2 and P4 are written inline in ``apply_policy``, in the fixed order of
eligibility.md 9.2; P3's parts and P5's bar collection have functions of their own."""

from __future__ import annotations

from . import precedence
from .predicates import register

register("policy.apply_policy")(precedence.apply_policy)
register("policy.p3_candidate")(precedence._candidate)
register("policy.p3_fallback")(precedence._fallback)
register("policy.p3_criteria")(precedence._first_criterion)
register("policy.p5_bars")(precedence._bars)
