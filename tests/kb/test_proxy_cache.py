"""Anonymous article pages shared through deploy/nginx's micro-cache."""

from django.test import Client


def test_proxy_fills_the_csrf_token_of_cached_article_pages(kb, client):
    url = kb.article_fr.url
    proxied = client.get(url, headers={"X-Csrf-Fill": "__kb_csrf_token__"})
    page = proxied.content.decode()
    # One shared copy for every anonymous visitor: no token, no cookie...
    assert "__kb_csrf_token__" in page and "csrftoken" not in proxied.cookies
    # ...kept by the proxy only (browsers keep their private 60 s).
    assert proxied["X-Accel-Expires"] == "60"
    assert "private" in proxied["Cache-Control"]
    headers = list(proxied.headers)
    assert headers.index("X-Accel-Expires") < headers.index("Cache-Control")
    # Straight to the application, each visitor gets a real token.
    direct = Client().get(url)
    assert "__kb_csrf_token__" not in direct.content.decode()
    assert "X-Accel-Expires" not in direct
