from django.urls import path

from search import views

app_name = "search"

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/go/<int:log_id>/", views.click, name="click"),
    path("search/insights/", views.insights, name="insights"),
]
