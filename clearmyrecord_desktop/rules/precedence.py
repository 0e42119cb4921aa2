"""How a policy combines with the statutory floor — the one written-down precedence policy.

This docstring *is* the policy (eligibility.md §9.1–§9.3). It is the same for every policy file.

Model (§9.1). The final determination of an evaluated count is its policy determination. A policy
may give more relief than the statutory floor; it never gives less relief than the floor (except by
routing to review), and never *silently* gives relief over a statutory bar. The bars of a count:

- definite: each ``definite`` disqualifier token; the statutory rule ``stat.date.post_prop64``
  (token ``post_prop64``);
- possible: each ``possible`` disqualifier token; ``stat.date.offense_unknown`` (token ``post_prop64?``).

A ``D5b`` token is a bar only when the ``adult`` bracket is possible (D5b applies to an offender 21 or
older, §6.6, §7.3); otherwise the statute's relief for a younger offender stands.

Relief rank: ``dismiss_and_seal`` 3 > ``reduce_to_infraction`` 2 > ``reduce_to_misdemeanor`` 1 >
``no_relief`` 0; ``hand_review`` has no rank.

Steps (§9.2), in this order:

P1. Routing. A misdemeanor or infraction under ``misdemeanors.action = "city_attorney_review"`` →
    ``hand_review``, review route ``city_attorney``, rule ``policy.route.city_attorney``, reason
    ``misdemeanors.reason`` (default "To be reviewed by City Attorneys"). Stop.

P2. Statutory guard. The policy does not apply — the determination is the statutory one, rule
    ``policy.guard.statutory``, reason "Statutory determination stands: " + the statutory reason — when
    the statutory ``hand_review`` comes from a review-only rule (S1, S3, S4, S5, S6: every rule but the
    policy-resolvable ``stat.date.offense_unknown``, ``stat.11357.subsection_unknown`` and
    ``stat.dq.possible``), or the count's class is not ``prop64``, or its level is unknown. Stop.

P3. Policy rules give a candidate X (first match):
    a. misdemeanor/infraction and ``misdemeanors.action = "dismiss"`` → ``dismiss_and_seal``
       (``policy.misdemeanor.dismiss``);
    b. felony: ``felonies."<section>"``; an entry of its ``subsections`` for the count's first
       subsection letter wins over the section's action (not when the statutory rule is
       ``stat.11357.subsection_unknown``). ``dismiss`` → ``dismiss_and_seal``
       (``policy.section.<s>.dismiss`` / ``policy.section.<s>(<L>).dismiss``); ``hand_review`` →
       ``hand_review`` (``policy.section.<s>.hand_review`` / ``…(<L>).hand_review``); ``criteria`` → c;
    c. criteria — felonies reaching ``criteria``, and misdemeanors/infractions under
       ``misdemeanors.action = "statutory"``: the first ``[[criteria]]`` entry (file order) whose
       conditions all hold (§9.3) gives its outcome (``policy.criterion.<id>``);
    d. fallback — felony: ``reduce`` → ``reduce_to_misdemeanor`` (``policy.fallback.<s>.reduce``),
       ``statutory`` → the statutory determination (``policy.fallback.<s>.statutory``),
       ``hand_review`` → ``hand_review`` (``policy.fallback.<s>.hand_review``), ``none`` →
       ``hand_review`` (``policy.fallback.none``, "No applicable policy rule");
       misdemeanor/infraction under ``statutory`` → the statutory determination
       (``policy.misdemeanor.statutory``).

P4. Floor. No bar, the statutory determination has a rank, and X has a lower rank → X = the statutory
    determination, add ``policy.floor``, ``floor_applied``; reason + "; raised to the statutory floor".
    ``hand_review`` is never raised.

P5. Bars. X is a relief and the count has bars → each bar's setting (``statutory_bars.disqualifier``
    for disqualifier tokens, ``statutory_bars.post_prop64`` for the date bars; ``no_relief`` on a
    *possible* bar counts as ``hand_review``); the strictest wins (``no_relief`` > ``hand_review`` >
    ``grant_anyway``):
    ``no_relief`` → X = ``no_relief`` (``policy.bar.no_relief``, "— withheld");
    ``hand_review`` → X = ``hand_review`` (``policy.bar.hand_review``, "— routed to review");
    ``grant_anyway`` → X unchanged (``policy.bar.grant_anyway``, "— granted by policy (conflict)"),
    ``policy_conflict`` and ``conflict_details`` = the bar tokens.
    Reason + "; statutory bar: {tokens} — {…}".

The policy determination is X. With these steps the ``statutory`` preset returns exactly the
statutory determination for every count the statutory layer can produce (a statutory relief never
comes with a bar, §7.3).

BEAR compatibility (§11.2): for a policy derived from BEAR options the P3 step that decided also
gives gogen's strings — ``dismiss_and_seal`` → "Eligible for Dismissal", ``reduce_to_misdemeanor`` →
"Eligible for Reduction", with the rule's reason; anything else, and P1/P2, give empty strings. P4
and P5 never change them.
"""

from __future__ import annotations

from dataclasses import dataclass

from clearmyrecord_desktop.rules.policy import Criterion, FelonyRule, Policy
from clearmyrecord_desktop.rules.policy_facts import (  # noqa: F401  (the facts side, importable from here too)
    CERTAINTIES,
    DETERMINATIONS,
    LEVELS,
    OFFENSE_UNKNOWN_RULE,
    POLICY_RESOLVABLE_RULES,
    POST_PROP64_RULE,
    RELIEF_PATHS,
    SUBSECTION_UNKNOWN_RULE,
    DisqualifierToken,
    PolicyFacts,
    condition_holds,
)

__all__ = [
    "RANK",
    "RELIEFS",
    "DETERMINATIONS",
    "POLICY_RESOLVABLE_RULES",
    "DisqualifierToken",
    "PolicyFacts",
    "PolicyResult",
    "apply_policy",
    "condition_holds",
]

RANK: dict[str, int] = {
    "dismiss_and_seal": 3,
    "reduce_to_infraction": 2,
    "reduce_to_misdemeanor": 1,
    "no_relief": 0,
}
RELIEFS = frozenset(("dismiss_and_seal", "reduce_to_infraction", "reduce_to_misdemeanor"))
LOWER_LEVELS = frozenset(("misdemeanor", "infraction"))

_COMPAT = {"dismiss_and_seal": "Eligible for Dismissal", "reduce_to_misdemeanor": "Eligible for Reduction"}
_STRICTNESS = {"grant_anyway": 0, "hand_review": 1, "no_relief": 2}
_BAR_OUTCOME = {
    "no_relief": ("no_relief", "policy.bar.no_relief", "withheld"),
    "hand_review": ("hand_review", "policy.bar.hand_review", "routed to review"),
}


@dataclass(frozen=True)
class PolicyResult:
    """The policy determination of one count (§9.2, §12.1).

    ``basis``: for a relief, ``statute`` if it equals the statutory determination, ``policy`` if the
    policy went beyond it; ``None`` otherwise. ``criterion_label``: the reason of the deciding
    ``[[criteria]]`` entry, if one decided at P3. ``compat_*``: BEAR-derived policies only, else "".
    """

    determination: str
    rule_ids: tuple[str, ...]
    reason: str
    review_route: str | None = None
    floor_applied: bool = False
    policy_conflict: bool = False
    conflict_details: tuple[str, ...] = ()
    compat_determination: str = ""
    compat_reason: str = ""
    basis: str | None = None
    criterion_label: str | None = None


@dataclass
class _Candidate:
    determination: str
    rule_id: str
    reason: str
    criterion: Criterion | None = None


def apply_policy(policy: Policy, facts: PolicyFacts) -> PolicyResult:
    """The policy determination of one count: steps P1–P5 of this module's docstring."""
    statutory = facts.statutory_determination
    lower = facts.level in LOWER_LEVELS

    # P1 — routing
    if lower and policy.misdemeanors.action == "city_attorney_review":
        return PolicyResult(
            "hand_review",
            ("policy.route.city_attorney",),
            policy.misdemeanors.reason or "To be reviewed by City Attorneys",
            review_route="city_attorney",
        )

    # P2 — statutory guard
    if facts.review_only_statutory or facts.count_class != "prop64" or facts.level == "unknown":
        return PolicyResult(
            statutory,
            ("policy.guard.statutory",),
            "Statutory determination stands: " + facts.statutory_reason,
            basis=_basis(statutory, statutory),
        )

    # P3 — policy rules
    cand = _candidate(policy, facts)
    compat_determination = compat_reason = ""
    if policy.bear is not None and cand.determination in _COMPAT:
        compat_determination, compat_reason = _COMPAT[cand.determination], cand.reason
    x, rule_ids, reason = cand.determination, [cand.rule_id], cand.reason

    # P4 — floor
    bars = _bars(facts)
    floor_applied = False
    if not bars and statutory in RANK and x in RANK and RANK[x] < RANK[statutory]:
        x, floor_applied = statutory, True
        rule_ids.append("policy.floor")
        reason += "; raised to the statutory floor"

    # P5 — bars
    conflict, details = False, ()
    if x in RELIEFS and bars:
        setting = max((_effective(policy, kind, possible) for _, kind, possible in bars), key=_STRICTNESS.get)
        tokens = sorted(token for token, _, _ in bars)
        if setting == "grant_anyway":
            rule_ids.append("policy.bar.grant_anyway")
            words = "granted by policy (conflict)"
            conflict, details = True, tuple(tokens)
        else:
            x, rule_id, words = _BAR_OUTCOME[setting]
            rule_ids.append(rule_id)
        reason += f"; statutory bar: {', '.join(tokens)} — {words}"

    return PolicyResult(
        x,
        tuple(rule_ids),
        reason,
        floor_applied=floor_applied,
        policy_conflict=conflict,
        conflict_details=details,
        compat_determination=compat_determination,
        compat_reason=compat_reason,
        basis=_basis(x, statutory),
        criterion_label=cand.criterion.reason if cand.criterion is not None else None,
    )


def _candidate(policy: Policy, facts: PolicyFacts) -> _Candidate:
    """P3: the first matching policy rule."""
    statutory = facts.statutory_determination
    if facts.level in LOWER_LEVELS:
        mis = policy.misdemeanors
        if mis.action == "dismiss":
            return _Candidate(
                "dismiss_and_seal",
                "policy.misdemeanor.dismiss",
                mis.reason or "Misdemeanor or infraction: dismissed by county policy",
            )
        hit = _first_criterion(policy, facts)
        if hit is not None:
            return hit
        return _Candidate(
            statutory, "policy.misdemeanor.statutory", _prefixed(mis.reason, facts.statutory_reason)
        )

    section = facts.section or ""
    rule = policy.felonies.get(section)
    if rule is None:  # not reachable with a validated policy and a prop64 count
        return _Candidate("hand_review", "policy.fallback.none", "No applicable policy rule")
    action, rule_id, reason = rule.action, f"policy.section.{section}", rule.reason
    letter = facts.first_subsection_letter
    if letter in rule.subsections and SUBSECTION_UNKNOWN_RULE not in facts.statutory_rule_ids:
        action, reason = rule.subsections[letter], rule.subsection_reason
        rule_id = f"policy.section.{section}({letter})"
        label = f"HS {section}({letter.lower()})"
    else:
        label = f"HS {section}"
    if action == "dismiss":
        return _Candidate(
            "dismiss_and_seal", f"{rule_id}.dismiss", reason or f"{label} felony: dismissed by county policy"
        )
    if action == "hand_review":
        return _Candidate(
            "hand_review", f"{rule_id}.hand_review", reason or f"{label} felony: reviewed by county policy"
        )
    hit = _first_criterion(policy, facts)
    if hit is not None:
        return hit
    return _fallback(rule, section, facts)


def _fallback(rule: FelonyRule, section: str, facts: PolicyFacts) -> _Candidate:
    """P3d for a felony."""
    fallback = rule.fallback or "none"
    if fallback == "reduce":
        return _Candidate(
            "reduce_to_misdemeanor",
            f"policy.fallback.{section}.reduce",
            rule.fallback_reason or f"HS {section} felony: reduced to a misdemeanor by county policy",
        )
    if fallback == "statutory":
        return _Candidate(
            facts.statutory_determination,
            f"policy.fallback.{section}.statutory",
            _prefixed(rule.fallback_reason, facts.statutory_reason),
        )
    if fallback == "hand_review":
        return _Candidate(
            "hand_review",
            f"policy.fallback.{section}.hand_review",
            rule.fallback_reason or f"HS {section} felony: no policy criterion applies; review required",
        )
    return _Candidate("hand_review", "policy.fallback.none", rule.fallback_reason or "No applicable policy rule")


def _first_criterion(policy: Policy, facts: PolicyFacts) -> _Candidate | None:
    """P3c: the first ``[[criteria]]`` entry whose conditions all hold."""
    for crit in policy.criteria:
        if crit.when and all(condition_holds(k, v, facts) for k, v in crit.when.items()):
            return _Candidate(crit.outcome, f"policy.criterion.{crit.id}", crit.reason, criterion=crit)
    return None


def _bars(facts: PolicyFacts) -> list[tuple[str, str, bool]]:
    """The count's bars (§9.1) as (token, kind, possible); kind is ``disqualifier`` or ``post_prop64``.

    A ``D5b`` token bars only when the ``adult`` bracket is possible: D5b applies only to an offender
    21 or older (§6.6, §7.3), so it cannot bar a count the statute gives relief for that reason.
    """
    adult_possible = "adult" in facts.age_brackets
    bars = [
        (t.token, "disqualifier", t.certainty == "possible")
        for t in facts.disqualifier_tokens
        if t.code != "D5b" or adult_possible
    ]
    if facts.date_bar is not None:
        bars.append((facts.date_bar, "post_prop64", facts.date_bar.endswith("?")))
    return bars


def _effective(policy: Policy, kind: str, possible: bool) -> str:
    setting = getattr(policy.statutory_bars, kind)
    if possible and setting == "no_relief":
        return "hand_review"  # a bar that is not proven never denies relief outright
    return setting


def _basis(final: str, statutory: str) -> str | None:
    if final not in RELIEFS:
        return None
    return "statute" if final == statutory else "policy"


def _prefixed(reason: str | None, statutory_reason: str) -> str:
    return f"{reason}: {statutory_reason}" if reason else statutory_reason
