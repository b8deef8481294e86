from django.urls import path

from social_redirect import views

app_name = "social_redirect"

# Language-prefixed: /<lang>/social/…
urlpatterns = [
    path("social/", views.dashboard, name="dashboard"),
    path("social/mentions/<int:pk>/", views.mention_action, name="mention_action"),
    path("social/templates/", views.reply_templates, name="reply_templates"),
]
