"""The main window's parts, one responsibility a module, mixed into ``gui.main_window.MainWindow``.

``menus`` (actions, menus, help), ``jobs`` (work off the GUI thread with progress and Cancel),
``workspace_actions`` (open, create, recent, close), ``tabs`` (the workspace's tabs and lazy panels),
``import_actions``, ``evaluate_actions``, ``review_actions`` and ``export_actions``.
"""
