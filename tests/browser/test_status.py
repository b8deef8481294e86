"""The status page and the incident banner in a phone-sized browser."""

import pytest

from tests.status.helpers import open_incident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page):
    # The banner and the page content must fit 390 px (the header is not ours).
    return page.evaluate(
        """() => [...document.querySelectorAll('main, .status-banners')]
        .every(e => e.scrollWidth <= e.clientWidth + 1
               && e.getBoundingClientRect().right <= window.innerWidth + 1)"""
    )


def test_banner_is_dismissed_per_incident_and_status_page_fits_a_phone(
    live_server, page, tmp_path
):
    first = open_incident(
        title_fr="Panne internet et box dans tout le quartier de la Croix-Rousse",
        message_fr="Une coupure de fibre touche le quartier ; retour prévu à 18 h.",
    )
    page.goto(live_server.url + "/fr/")
    banner = page.locator(f'[data-status-incident="{first.pk}"]')
    assert banner.is_visible()
    assert _no_sideways_scroll(page)
    page.get_by_role("button", name="Masquer cet avis").click()
    assert banner.is_hidden()
    page.reload()
    assert page.locator(f'[data-status-incident="{first.pk}"]').is_hidden()

    # A new incident shows again although the first one was dismissed.
    second = open_incident(title_fr="Messagerie lente", title_en="Slow e-mail")
    page.goto(live_server.url + "/fr/forum/")
    assert page.locator(f'[data-status-incident="{second.pk}"]').is_visible()
    assert page.locator(f'[data-status-incident="{first.pk}"]').is_hidden()

    page.goto(live_server.url + "/fr/status/")
    assert page.get_by_role("heading", level=1).inner_text() == "État des services"
    assert _no_sideways_scroll(page)
    page.screenshot(path=tmp_path / "status-fr-390.png", full_page=True)
    page.goto(live_server.url + f"/en/status/incidents/{first.pk}/")
    assert "Not yet translated" in page.content()
    assert _no_sideways_scroll(page)
    page.screenshot(path=tmp_path / "incident-en-390.png", full_page=True)
    assert page.console_errors == []
