"""A site whose one page fails, to see what happens to a 500."""

from django.urls import path


def broken(request):
    raise RuntimeError("the database schema is older than the code")


urlpatterns = [path("broken/", broken)]
handler500 = "config.views.server_error"
