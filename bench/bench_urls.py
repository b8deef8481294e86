"""URLs for bench/triage_speed.py: the real site plus a bare redirect view,
so both are served by the same server, settings and middleware."""

from django.http import HttpResponseRedirect
from django.urls import path

from config.urls import *  # noqa: F403
from config.urls import urlpatterns as site_urlpatterns


def bare_redirect(request, code):
    return HttpResponseRedirect("/fr/kb/")


urlpatterns = [path("bare/<str:code>", bare_redirect)] + site_urlpatterns
