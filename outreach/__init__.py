"""outreach: the Propaganda Board's outreach material, from one Vietnamese source to five languages, web and print."""

__version__ = "0.1.0"
