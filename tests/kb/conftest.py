import pytest

from config import roles
from tests.factories import UserFactory, user_with_role
from tests.kb.factories import build_kb_tree


@pytest.fixture
def kb(db):
    return build_kb_tree()


@pytest.fixture
def member(db):
    return UserFactory()


@pytest.fixture
def trusted(db):
    return user_with_role(roles.TRUSTED_MEMBERS)


@pytest.fixture
def staff(db):
    return user_with_role(roles.STAFF)
