"""Main-window panels."""
