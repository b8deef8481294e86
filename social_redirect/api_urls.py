from django.urls import path

from social_redirect.views import social

app_name = "social_redirect_api"

# Not language-prefixed: short links must stay short, machines post here.
urlpatterns = [
    path("r/<str:code>", social.short_link, name="short_link"),
    path("r/<str:code>/feedback", social.link_feedback, name="link_feedback"),
    path("api/mentions/", social.mentions_webhook, name="mentions_webhook"),
    path("api/x/activity/", social.x_account_activity, name="x_account_activity"),
]
