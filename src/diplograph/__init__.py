"""diplograph: news pages about international relations in, a source-attributed PLOVER event database out."""

__version__ = "0.1.0"
