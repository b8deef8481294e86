from django.urls import path

from social_redirect.views import social

# Language-prefixed: /<lang>/social/…
urlpatterns = [
    path("social/", social.dashboard, name="dashboard"),
    path("social/mentions/<int:pk>/", social.mention_action, name="mention_action"),
    path("social/templates/", social.reply_templates, name="reply_templates"),
]
