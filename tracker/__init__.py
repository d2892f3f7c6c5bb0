"""Front-line tracker: turn war reporting into verified geography."""

__version__ = "0.1.0"
