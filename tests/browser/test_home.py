import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_in_french_then_english_on_a_phone(live_server, page):
    page.goto(live_server.url + "/")
    # The browser asks for French: `/` sends it to /fr/.
    assert page.url == live_server.url + "/fr/"
    assert page.locator("html").get_attribute("lang") == "fr"
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Comment pouvons-nous vous aider ?"
    )
    assert page.get_by_placeholder("Décrivez votre problème").is_visible()

    # The language switch is a plain link to the same page in English.
    with page.expect_navigation():
        page.get_by_role("navigation", name="Langue").get_by_role(
            "link", name="English"
        ).click()
    assert page.url == live_server.url + "/en/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "How can we help?"
    assert page.get_by_placeholder("Describe your problem").is_visible()

    # Keyboard users reach the content first.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"

    assert page.console_errors == []
