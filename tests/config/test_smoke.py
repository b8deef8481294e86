import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "heading"), [("fr", "Comment pouvons-nous vous aider ?"), ("en", "How can we help?")]
)
def test_home_page_in_both_languages(client, lang, heading):
    response = client.get(f"/{lang}/")
    assert response.status_code == 200
    assert heading in response.content.decode()
