from django.urls import path

from forum import views

app_name = "community_forum"

urlpatterns = [
    path("accounts/profile/", views.profile, name="profile"),
]
