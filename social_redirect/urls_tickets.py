from django.urls import path  # noqa: F401

# Language-prefixed: /<lang>/support/…
urlpatterns = []
