import re
from urllib.parse import urlsplit

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
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.models import Post, Topic

from accounts.roles import has_verified_email
from config.ratelimit import form_rate_limited, rate_limited_response
from forum import selectors, services
from forum.forms import PromoteForm, RemoveForm, ReportForm
from forum.machina_views import HONEYPOT_FIELD, refused
from forum.models import PostReport


def _topic_redirect(topic, post=None):
    url = selectors.topic_url(topic)
    if post is not None:
        url = f"{url}?post={post.pk}#{post.pk}"
    return redirect(url)


_FORUM_PATH = re.compile(r"/forum/forum/[^/]+-(\d+)/")


def _forum_asked_from(request):
    """The forum the asker came from: ``?forum=<pk>`` or the referring forum page.

    The form still lets them pick another one.
    """
    pk = request.GET.get("forum", "")
    if not pk.isdigit():
        referer = urlsplit(request.headers.get("referer", ""))
        if referer.netloc and referer.netloc != request.get_host():
            return None
        match = _FORUM_PATH.search(referer.path)
        pk = match.group(1) if match else ""
    if not pk.isdigit() or len(pk) > 12:
        return None
    if int(pk) not in selectors.forum_ids_for_language(get_language()):
        return None
    return Forum.objects.filter(pk=int(pk), type=Forum.FORUM_POST).first()


def ask(request):
    """A new question (?forum=&subject=&body= prefill), in the forum the asker
    came from or the default one of the language; the form offers the others."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not has_verified_email(request.user):
        return refused(
            request, _("Please confirm your e-mail address before posting."), 403
        )
    forum = _forum_asked_from(request) or selectors.default_forum_for(get_language())
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
def topic_promote(request, topic_pk):
    """The promoter corrects the prefilled article and picks its category."""
    topic = get_object_or_404(
        Topic.objects.select_related("forum", "first_post"), pk=topic_pk
    )
    if not services.can_moderate(request.user):
        return refused(
            request, _("Only moderators and staff can promote a topic."), 403
        )
    if selectors.topic_promotion(topic) is not None:
        return refused(request, _("This topic has already been promoted."), 409)
    if selectors.topic_solution(topic) is None:
        return refused(request, _("Only a solved topic can become an article."), 409)
    lang = selectors.topic_language(topic)
    if request.method == "POST":
        form = PromoteForm(request.POST, lang=lang)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.topic_promote(
                    topic=topic,
                    user=request.user,
                    title=data["title"],
                    summary=data["summary"],
                    body_markdown=data["body"],
                    category=data["category"],
                )
            except services.ForumActionError as exc:
                return refused(request, str(exc), 409)
            messages.success(
                request,
                _(
                    "A draft article was created from this topic. It is now waiting "
                    "in the knowledge base review queue."
                ),
            )
            return _topic_redirect(topic)
    else:
        form = PromoteForm(lang=lang, initial=selectors.topic_promotion_draft(topic))
    return render(
        request,
        "community_forum/promote.html",
        {"form": form, "topic": topic, "forum": topic.forum},
    )


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
