from django.urls import path

from status import feeds, views

app_name = "status"

# Language-prefixed: /<lang>/status/…
urlpatterns = [
    path("status/", views.status_page, name="status"),
    path("status/feed/", feeds.IncidentUpdatesFeed(), name="feed"),
    path("status/incidents/new/", views.incident_create, name="incident_create"),
    path("status/incidents/<int:pk>/", views.incident_detail, name="incident"),
    path("status/incidents/<int:pk>/edit/", views.incident_edit, name="incident_edit"),
    path(
        "status/incidents/<int:pk>/acknowledge/",
        views.incident_acknowledge,
        name="incident_acknowledge",
    ),
    path(
        "status/incidents/<int:pk>/replies/",
        views.incident_replies,
        name="incident_replies",
    ),
    path("status/subscribe/", views.subscribe, name="subscribe"),
    path("status/subscribe/<str:token>/", views.confirm, name="confirm"),
    path("status/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    # Beside the social dashboard; lives here with the charts it shares.
    path("social/digest/", views.digest, name="digest"),
]
