from django.urls import path

from social_redirect import views

app_name = "social_redirect_api"

# Not language-prefixed: short links must stay short, machines post here.
urlpatterns = [
    path("r/<str:code>", views.short_link, name="short_link"),
    path("r/<str:code>/feedback", views.link_feedback, name="link_feedback"),
    path("api/mentions/", views.mentions_webhook, name="mentions_webhook"),
    path("api/x/activity/", views.x_account_activity, name="x_account_activity"),
]
