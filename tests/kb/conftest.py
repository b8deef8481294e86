import pytest

from tests.kb.factories import build_kb_tree


@pytest.fixture
def kb(db):
    return build_kb_tree()
