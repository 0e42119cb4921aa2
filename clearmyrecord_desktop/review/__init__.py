"""Reviewer decisions and the audit log (core; no Qt).

- ``decisions``: record or withdraw an override of a count's determination; overrides whose engine
  result changed underneath.
- ``audit``: the append-only, hash-chained audit log. Every import, evaluation, override, withdrawal
  and export calls ``audit.append``.
- ``words``: plain-language wording of determinations, unknown facts, disqualifiers and paths.
"""
