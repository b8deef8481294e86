from django.urls import path

from forum import machina_views, views

app_name = "community_forum"

# Machina's own paths, served by our subclasses (matched before machina's).
FORUM = "forum/"
TOPIC = FORUM + "forum/<str:forum_slug>-<int:forum_pk>/topic/"
MODERATION = FORUM + "moderation/"

urlpatterns = [
    path(FORUM, machina_views.IndexView.as_view(), name="machina_index"),
    path(
        FORUM + "forum/<str:slug>-<int:pk>/",
        machina_views.ForumView.as_view(),
        name="machina_forum",
    ),
    path(
        TOPIC + "<str:slug>-<int:pk>/",
        machina_views.TopicView.as_view(),
        name="machina_topic",
    ),
    path(
        TOPIC + "create/",
        machina_views.TopicCreateView.as_view(),
        name="machina_topic_create",
    ),
    path(
        TOPIC + "<str:topic_slug>-<int:topic_pk>/post/create/",
        machina_views.PostCreateView.as_view(),
        name="machina_post_create",
    ),
    path(
        TOPIC + "<str:topic_slug>-<int:topic_pk>/<int:pk>/post/delete/",
        machina_views.PostDeleteView.as_view(),
        name="machina_post_delete",
    ),
    path(
        MODERATION + "topic/<str:slug>-<int:pk>/delete/",
        machina_views.TopicDeleteView.as_view(),
        name="machina_topic_delete",
    ),
    path(MODERATION + "queue/", machina_views.moderation_queue_redirect),
    path(
        MODERATION + "queue/<int:pk>/approve/",
        machina_views.PostApproveView.as_view(),
        name="machina_post_approve",
    ),
    path(
        MODERATION + "queue/<int:pk>/disapprove/",
        machina_views.PostDisapproveView.as_view(),
        name="machina_post_disapprove",
    ),
    path(
        FORUM + "member/profile/<str:pk>/",
        machina_views.MemberProfileView.as_view(),
        name="machina_member_profile",
    ),
    path(
        FORUM + "member/profile/<str:pk>/posts/",
        machina_views.MemberPostsView.as_view(),
        name="machina_member_posts",
    ),
    path(FORUM + "search/", machina_views.SearchRedirectView.as_view(), name="search"),
    # Our own pages.
    path(FORUM + "ask/", views.ask, name="ask"),
    path(FORUM + "moderation/", views.moderation, name="moderation"),
    path(
        FORUM + "moderation/report/<int:report_pk>/dismiss/",
        views.report_dismiss,
        name="report_dismiss",
    ),
    path(
        FORUM + "moderation/post/<int:post_pk>/remove/",
        views.post_remove_spam,
        name="post_remove",
    ),
    path(FORUM + "post/<int:post_pk>/report/", views.post_report, name="post_report"),
    path(
        FORUM + "post/<int:post_pk>/solution/",
        views.solution_mark,
        name="solution_mark",
    ),
    path(
        FORUM + "topic/<int:topic_pk>/unsolve/",
        views.solution_unmark,
        name="solution_unmark",
    ),
    path(FORUM + "topic/<int:topic_pk>/promote/", views.topic_promote, name="promote"),
]
