import os
from pathlib import Path

import pytest
from django.core.cache import cache

from accounts import roles
from tests.factories import UserFactory, user_with_role


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate limits and cached pages must not leak from one test to the next.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shared_dir():
    """`../shared` beside the repository, or skip when it is absent.

    ``ENTRAIDE_SHARED_DIR`` points elsewhere (a git worktree has no ../shared).
    """
    default = Path(__file__).resolve().parent.parent.parent / "shared"
    path = Path(os.environ.get("ENTRAIDE_SHARED_DIR") or default)
    if not path.is_dir():
        pytest.skip("../shared is absent")
    return path


# People of the community, shared by the app test suites.
@pytest.fixture
def member(db):
    return UserFactory()


@pytest.fixture
def trusted(db):
    return user_with_role(roles.TRUSTED_MEMBERS)


@pytest.fixture
def moderator(db):
    return user_with_role(roles.MODERATORS)


@pytest.fixture
def staff(db):
    return user_with_role(roles.STAFF)
