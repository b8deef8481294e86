from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from machina.apps.forum_conversation.models import Post, Topic

from accounts.roles import has_verified_email
from config.ratelimit import form_rate_limited, rate_limited_response
from forum import selectors, services
from forum.forms import RemoveForm, ReportForm
from forum.machina_views import HONEYPOT_FIELD, refused
from forum.models import PostReport


def _topic_redirect(topic, post=None):
    url = selectors.topic_url(topic)
    if post is not None:
        url = f"{url}?post={post.pk}#{post.pk}"
    return redirect(url)


def ask(request):
    """A new question in the forum of the current language (?subject=&body= prefill)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not has_verified_email(request.user):
        return refused(
            request, _("Please confirm your e-mail address before posting."), 403
        )
    forum = selectors.default_forum_for(get_language())
    if forum is None:
        return refused(request, _("There is no forum in this language yet."), 404)
    url = reverse(
        "forum_conversation:topic_create",
        kwargs={"forum_slug": forum.slug, "forum_pk": forum.pk},
    )
    params = {
        key: request.GET[key][:5000]
        for key in ("subject", "body")
        if request.GET.get(key)
    }
    return redirect(f"{url}?{urlencode(params)}" if params else url)


def _readable_post(request, post_pk):
    post = get_object_or_404(
        Post.objects.select_related("topic", "topic__forum"), pk=post_pk, approved=True
    )
    if not request.forum_permission_handler.can_read_forum(
        post.topic.forum, request.user
    ):
        raise Http404
    return post


@login_required
@require_POST
def solution_mark(request, post_pk):
    post = _readable_post(request, post_pk)
    try:
        services.topic_solution_mark(topic=post.topic, post=post, user=request.user)
    except services.ForumActionError as exc:
        return refused(request, str(exc), 403)
    messages.success(request, _("This reply is now marked as the solution."))
    return _topic_redirect(post.topic)


@login_required
@require_POST
def solution_unmark(request, topic_pk):
    topic = get_object_or_404(Topic, pk=topic_pk)
    try:
        services.topic_solution_unmark(topic=topic, user=request.user)
    except services.ForumActionError as exc:
        return refused(request, str(exc), 403)
    messages.success(request, _("The topic is no longer marked as solved."))
    return _topic_redirect(topic)


@login_required
@require_POST
def topic_promote(request, topic_pk):
    topic = get_object_or_404(Topic.objects.select_related("forum"), pk=topic_pk)
    try:
        services.topic_promote(topic=topic, user=request.user, request=request)
    except services.ForumActionError as exc:
        return refused(
            request, str(exc), 403 if not services.can_moderate(request.user) else 409
        )
    messages.success(
        request,
        _(
            "A draft article was created from this topic. It is now waiting in the "
            "knowledge base review queue."
        ),
    )
    return _topic_redirect(topic)


REPORT_LIMIT, REPORT_PERIOD = 10, 600


@login_required
def post_report(request, post_pk):
    post = _readable_post(request, post_pk)
    if not has_verified_email(request.user):
        return refused(
            request, _("Please confirm your e-mail address before reporting."), 403
        )
    limited = False
    if request.method == "POST":
        if request.POST.get(HONEYPOT_FIELD):
            return refused(request, _("Your message could not be accepted."), 400)
        form = ReportForm(request.POST)
        limited = form.is_valid() and form_rate_limited(
            request,
            form,
            scope="forum-report",
            limit=REPORT_LIMIT,
            period=REPORT_PERIOD,
            message=_(
                "You have sent many reports in the last minutes: please wait "
                "a few minutes before sending another one."
            ),
        )
        if form.is_valid():
            services.post_report_create(
                post=post,
                reporter=request.user,
                reason=form.cleaned_data["reason"],
                comment=form.cleaned_data["comment"],
            )
            messages.success(
                request, _("Thank you. A moderator will look at this post soon.")
            )
            return _topic_redirect(post.topic, post)
    else:
        form = ReportForm()
    response = render(
        request,
        "community_forum/post_report.html",
        {
            "form": form,
            "post": post,
            "topic": post.topic,
            "forum": post.topic.forum,
            "honeypot": HONEYPOT_FIELD,
        },
    )
    return rate_limited_response(response, REPORT_PERIOD) if limited else response


def _moderator_required(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not services.can_moderate(request.user):
        return refused(
            request, _("Only moderators can open the moderation queue."), 403
        )
    return None


def moderation(request):
    """One queue: posts waiting for approval and reported posts."""
    denied = _moderator_required(request)
    if denied:
        return denied
    reports = {}
    for report in selectors.open_reports():
        reports.setdefault(report.post_id, []).append(report)
    return render(
        request,
        "community_forum/moderation.html",
        {
            "counts": selectors.moderation_counts(),
            "pending": selectors.pending_posts(),
            "reported": [(items[0].post, items) for items in reports.values()],
            "recent_log": selectors.moderation_log_recent(),
            "remove_form": RemoveForm(),
        },
    )


@require_POST
def report_dismiss(request, report_pk):
    denied = _moderator_required(request)
    if denied:
        return denied
    report = get_object_or_404(PostReport, pk=report_pk, status=PostReport.Status.OPEN)
    services.post_report_dismiss(report=report, moderator=request.user)
    messages.success(request, _("The report was dismissed; the post stays online."))
    return redirect("community_forum:moderation")


@require_POST
def post_remove_spam(request, post_pk):
    denied = _moderator_required(request)
    if denied:
        return denied
    post = get_object_or_404(Post, pk=post_pk)
    form = RemoveForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.post_remove_as_spam(post=post, moderator=request.user, reason=reason)
    messages.success(
        request, _("The post was removed. A copy is kept in the moderation log.")
    )
    return redirect("community_forum:moderation")
