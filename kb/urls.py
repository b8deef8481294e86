"""KB views outside the page tree. Included before Wagtail's catch-all, so
these paths win over a category of the same slug."""

from django.urls import path, re_path

from kb import views

app_name = "kb"

urlpatterns = [
    path("kb/", views.kb_index, name="index"),
    path("kb/review/", views.review_queue, name="review"),
    path("kb/review/<int:pk>/", views.review_detail, name="review_detail"),
    path("kb/propose/", views.article_propose, name="propose"),
    path("kb/preview/", views.markdown_preview, name="preview"),
    path("kb/my-edits/", views.my_edits, name="my_edits"),
    path("kb/stats/", views.feedback_stats, name="stats"),
    # The vote from cached article pages: before the catch-all, it alone
    # swaps the CSRF token for a same-origin check (see the view).
    re_path(
        r"^kb/((?:[\w\-]+/)+)feedback/$",
        views.article_feedback_entry,
        name="feedback",
    ),
    # Same shape as Wagtail's own pattern, so APPEND_SLASH still redirects.
    re_path(r"^kb/((?:[\w\-]+/)*)$", views.kb_page, name="page"),
]
