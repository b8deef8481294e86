from social_redirect.urls_social import urlpatterns as social_urlpatterns
from social_redirect.urls_tickets import urlpatterns as ticket_urlpatterns

app_name = "social_redirect"

urlpatterns = ticket_urlpatterns + social_urlpatterns
