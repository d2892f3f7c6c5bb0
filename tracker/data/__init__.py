"""Building and loading the tracker's data (the only code that reads source files)."""
