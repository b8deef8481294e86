import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits and cached pages must not leak from one test to the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shared_dir():
    """`../shared` beside the repository, or skip when it is absent."""
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent.parent / "shared"
    if not path.is_dir():
        pytest.skip("../shared is absent")
    return path
