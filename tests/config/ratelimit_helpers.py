"""Shared check: a rate-limited write shows its form again with what was typed."""

KEPT = ("Nothing you typed is lost", "Rien de ce que vous avez saisi n’est perdu")


def assert_typed_text_kept(response, *typed):
    assert response.status_code == 429
    assert response["Retry-After"]
    html = response.content.decode()
    assert any(sentence in html for sentence in KEPT)
    for text in typed:
        assert text in html
    # The form itself, not the bare error page.
    assert "<form" in html and "<textarea" in html
