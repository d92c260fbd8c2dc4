"""Shared fixtures: the analyzer loads the spaCy model and the knowledge files once per test session."""

from __future__ import annotations

import pytest

from diplograph.annotate import Analyzer


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    return Analyzer()
