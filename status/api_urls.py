from django.urls import path

from status import views

app_name = "status_api"

# Not language-prefixed: machines read it (?lang=en for English titles).
urlpatterns = [
    path("api/status", views.api_status, name="status"),
]
