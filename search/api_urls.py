from django.urls import path

from search import views

app_name = "search_api"

urlpatterns = [
    path("api/search", views.api_search, name="search"),
    path("api/search/suggest", views.api_suggest, name="suggest"),
]
