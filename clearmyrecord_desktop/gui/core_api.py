"""The core functions the GUI calls, looked up when first needed.

Parts of the core may be missing from a build (or still being written); then the action says so in
plain words instead of failing at start-up.
"""

from __future__ import annotations

import importlib
import inspect

from ..errors import KnownError


class FeatureMissingError(KnownError):
    title = "Not available in this build"


_FEATURES = {
    "import_files": ("clearmyrecord_desktop.importers.doj_research_file", "import_files",
                     "importing DOJ research files"),
    "evaluate": ("clearmyrecord_desktop.rules.engine", "evaluate", "evaluating eligibility"),
    "load_policy": ("clearmyrecord_desktop.rules.policy", "load_policy", "policy files"),
    "list_presets": ("clearmyrecord_desktop.rules.policy", "list_presets", "policy presets"),
    "save_policy": ("clearmyrecord_desktop.rules.policy", "save_policy", "saving policy files"),
    "export_all": ("clearmyrecord_desktop.documents.export", "export_all", "exporting motion packets"),
    "verify_folder": ("clearmyrecord_desktop.documents.verify", "verify_folder", "verifying packets"),
    "write_per_case_document": ("clearmyrecord_desktop.documents.per_case", "write_per_case_document",
                                "per-case motions and orders"),
    "charts": ("clearmyrecord_desktop.documents.charts", None, "charts"),
    "policy_module": ("clearmyrecord_desktop.rules.policy", None, "policy files"),
}


def get(name: str):
    """The core callable (or module) ``name``; raises :class:`FeatureMissingError` if absent."""
    module_name, attr, what = _FEATURES[name]
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise FeatureMissingError(
            f"This build cannot do {what} yet: the module {module_name} is missing "
            f"({type(exc).__name__}).") from None
    if attr is None:
        return module
    try:
        return getattr(module, attr)
    except AttributeError:
        raise FeatureMissingError(
            f"This build cannot do {what} yet: {module_name}.{attr} is missing.") from None


def available(name: str) -> bool:
    try:
        get(name)
    except FeatureMissingError:
        return False
    return True


def actor_kwargs(func, actor: str | None) -> dict:
    """``{"actor": actor}`` when ``func`` takes an ``actor`` argument (so the audit log names the reviewer),
    else nothing: the core then logs the operating-system user and the GUI adds no second row."""
    if not actor:
        return {}
    try:
        parameters = inspect.signature(func).parameters
    except (TypeError, ValueError):
        return {}
    return {"actor": actor} if "actor" in parameters else {}
