"""Anonymous pages written as files that nginx serves until their window ends."""

import getpass
import logging
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from config import microcache, pagefiles
from tests.kb.factories import build_kb_tree, page_tree_ensure

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def page_files(settings, tmp_path):
    settings.PAGE_FILES = True
    settings.VAR_DIR = tmp_path / "var"
    return tmp_path / "var" / "pages"


@pytest.fixture
def kb(db):
    return build_kb_tree()


def written(pages: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(pages)): path.read_bytes()
        for path in pages.rglob("index.html")
    }


def test_an_anonymous_article_is_written_for_its_window(kb, client, page_files):
    window = microcache.page_window()
    response = client.get(kb.article_fr.url)
    assert response.status_code == 200
    # Written only if the page's headers are those nginx declares for files.
    [(path, content)] = written(page_files).items()
    assert path.endswith(f"{kb.article_fr.url}index.html")
    assert content == response.content
    assert int(path.split("/")[0]) in (window, window + 1)


@pytest.mark.parametrize("page", ["/fr/", "/en/", "root_fr", "cat_en"])
def test_home_kb_root_and_categories_are_written_too(kb, client, page_files, page):
    url = page if page.startswith("/") else getattr(kb, page).url
    client.get(url)
    assert any(name.endswith(f"{url}index.html") for name in written(page_files))


def test_pages_for_one_visitor_are_never_written(kb, client, member, page_files):
    client.get(kb.article_fr.url + "?helpful=1")
    client.head(kb.article_fr.url)
    client.force_login(member)
    client.get(kb.article_fr.url)
    client.get("/fr/")
    assert written(page_files) == {}


def test_off_unless_configured(kb, client, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client.get(kb.article_fr.url)
    assert not (tmp_path / "pages").exists()


def test_a_page_with_other_headers_stays_on_the_micro_cache(
    kb, client, page_files, settings, caplog
):
    # An operator tightens the policy in Django but not in the nginx file:
    # nginx would send the old one with the file, so no file is written.
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'none'"]}
    }
    pagefiles._warned.clear()
    with caplog.at_level(logging.WARNING, logger="config.pagefiles"):
        response = client.get(kb.other_fr.url)
    assert response.status_code == 200
    assert "X-Accel-Expires" in response  # still shared by the micro-cache
    assert written(page_files) == {}
    assert "content-security-policy" in caplog.text


def test_older_windows_are_removed_when_a_new_one_is_written(
    kb, client, page_files, monkeypatch
):
    now = time.time()
    client.get(kb.article_fr.url)
    for seconds in (10, 20):
        monkeypatch.setattr(
            pagefiles, "page_window", lambda s=seconds: microcache.page_window(now + s)
        )
        client.get("/fr/")
    windows = sorted(int(p.name) for p in page_files.iterdir())
    assert windows == [
        microcache.page_window(now + 10),
        microcache.page_window(now + 20),
    ]


@pytest.mark.parametrize(
    "path", ["/fr/kb/../admin/", "/fr//kb/", "/fr/kb", "relative/", "/a\\b/"]
)
def test_paths_nginx_would_not_look_up_alike_get_no_file(path, page_files):
    assert pagefiles.page_file_path(path, 1) is None


def test_the_micro_cache_entry_ends_with_the_window():
    now = 1_800_000_003.5
    # Fresh through the second 1_800_000_009, so the first request of the
    # next window reaches the application and writes its page file.
    assert microcache.proxy_expires(now) == "@1800000009"
    assert microcache.page_window(now) == 180_000_000


# --- Through nginx ---------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def demo_kb(transactional_db):
    page_tree_ensure()
    return build_kb_tree()


@pytest.fixture
def nginx(live_server, tmp_path, page_files):
    binary = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if binary is None:
        pytest.skip("nginx is not installed (Debian package nginx)")
    port = free_port()
    upstream = live_server.url.removeprefix("http://")
    prefix = tmp_path / "nginx"
    (prefix / "tmp").mkdir(parents=True)
    conf = prefix / "nginx.conf"
    # As root, nginx's workers would run as nobody, who cannot read tmp_path.
    user = f"user {getpass.getuser()};" if os.geteuid() == 0 else ""
    conf.write_text(
        f"""
{user}
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {prefix}/tmp/body;
    proxy_temp_path {prefix}/tmp/proxy;
    fastcgi_temp_path {prefix}/tmp/fastcgi;
    uwsgi_temp_path {prefix}/tmp/uwsgi;
    scgi_temp_path {prefix}/tmp/scgi;
    include {ROOT}/deploy/nginx/entraide-maps.conf;
    proxy_cache_path {prefix}/cache levels=1:2 keys_zone=entraide:1m;
    upstream entraide_app {{ server {upstream}; }}
    server {{
        listen 127.0.0.1:{port};
        set $entraide_var {page_files.parent};
        include {ROOT}/deploy/nginx/entraide-locations.conf;
    }}
}}
"""
    )
    process = subprocess.Popen([binary, "-p", str(prefix), "-c", str(conf)])
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def fetch(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def from_file(base, url, headers=None):
    """GET until nginx answers from the page file (a window may turn between)."""
    for _ in range(3):
        status, sent, body = fetch(base + url, headers)
        # Only the application sends X-KB-Cache: absent, the file answered.
        if "X-KB-Cache" not in sent:
            return status, sent, body
    return status, sent, body


@pytest.mark.django_db(transaction=True)
def test_nginx_serves_the_page_file_with_the_applications_headers(demo_kb, nginx):
    url = demo_kb.article_fr.url
    status, first, body = fetch(nginx + url)
    assert status == 200, body[:2000]
    assert first["X-KB-Cache"] in ("miss", "hit")
    status, sent, served = from_file(nginx, url)
    assert status == 200
    assert "X-KB-Cache" not in sent
    assert sent["X-Cache-Status"] == "HIT"
    assert served == body
    assert sent["Content-Type"] == "text/html; charset=utf-8"
    assert sent["Content-Language"] == "fr"
    for name in (
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
    ):
        assert pagefiles._comparable(name.lower(), sent[name]) == pagefiles._comparable(
            name.lower(), first[name]
        )
    assert "Strict-Transport-Security" not in sent  # plain HTTP


@pytest.mark.django_db(transaction=True)
def test_nginx_never_answers_a_signed_in_visitor_from_a_page_file(demo_kb, nginx):
    url = demo_kb.article_fr.url
    fetch(nginx + url)
    assert "X-KB-Cache" not in from_file(nginx, url)[1]
    for headers in ({"Cookie": "sessionid=abc"}, {"Cookie": "x=1; messages=m"}):
        status, sent, _body = fetch(nginx + url, headers)
        assert sent["X-Cache-Status"] == "BYPASS"
        assert "X-KB-Cache" in sent  # the application answered
    # A query string (here the banner of a short link) is the application's.
    for _ in range(2):
        status, sent, _body = fetch(nginx + url + "?via=abc")
        assert status == 200 and sent["X-Cache-Status"] == "MISS"
