"""ClearMyRecord Desktop: Prop 64 relief from DOJ research files, offline."""

__version__ = "0.1.0"
APP_NAME = "ClearMyRecord Desktop"
