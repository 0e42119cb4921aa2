"""Qt models over the workspace (GUI thread only)."""
