from django.urls import path  # noqa: F401

# Language-prefixed: /<lang>/social/…
urlpatterns = []
