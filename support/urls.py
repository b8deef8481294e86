from django.urls import path

from support import views

app_name = "support"

# Language-prefixed: /<lang>/support/…
urlpatterns = [
    path("support/", views.ticket_list, name="ticket_list"),
    path("support/new/", views.ticket_create, name="ticket_create"),
    path("support/new/suggestions/", views.ticket_suggest, name="ticket_suggest"),
    path("support/new/solved/", views.ticket_deflect, name="ticket_deflect"),
    path("support/queue/", views.ticket_queue, name="ticket_queue"),
    path("support/link/", views.ticket_access_request, name="ticket_access_request"),
    path("support/t/<uuid:public_id>/", views.ticket_detail, name="ticket_detail"),
    path("support/t/<uuid:public_id>/reply/", views.ticket_reply, name="ticket_reply"),
    path(
        "support/t/<uuid:public_id>/manage/", views.ticket_update, name="ticket_update"
    ),
    path("support/t/<uuid:public_id>/rate/", views.ticket_rate, name="ticket_rate"),
    path(
        "support/t/<uuid:public_id>/files/<int:pk>/",
        views.ticket_attachment,
        name="ticket_attachment",
    ),
]
