"""Public knowledge-base views: reading (cached), community editing, history,
review queue, feedback and feeds. Thin: writes are in kb.services."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import feedgenerator, translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from wagtail.models import Revision
from wagtail.views import serve

from accounts.selectors import user_public_name
from config.origin import same_origin_request
from config.ratelimit import (
    client_ip,
    form_rate_limited,
    rate_limited_response,
    ratelimit,
    ratelimit_hit,
    ratelimit_over,
    too_many_requests,
)
from config.sanitize import markdown_to_html
from kb import cache, selectors
from kb.diff import word_diff
from kb.forms import (
    ArticleEditForm,
    ArticleProposeForm,
    FeedbackForm,
    RejectForm,
    ReviewReviseForm,
)
from kb.models import ArticleEdit
from kb.services import editing, feedback, history, structure
from support.tokens import ticket_context_token


def _lang():
    return (translation.get_language() or "fr")[:2]


def _url_with_query(name, **params):
    url = reverse(name)
    params = {k: v for k, v in params.items() if v}
    return f"{url}?{urlencode(params)}" if params else url


def _forbidden(request, message, status=403):
    return render(request, "kb/not_allowed.html", {"message": message}, status=status)


def _require_contributor(request):
    """None when the user may write, else the response to send."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not selectors.can_contribute(request.user):
        return _forbidden(
            request,
            _(
                "Please verify your e-mail address before contributing "
                "to the knowledge base."
            ),
        )
    return None


# --- reading ------------------------------------------------------------------


def _article_context(request, page):
    context = page.get_context(request)
    body_html, toc = page.body_with_toc()
    lang = page.lang
    url = request.build_absolute_uri(page.url)
    context.update(
        {
            "body_html": body_html,
            "toc": toc,
            "breadcrumbs": page.breadcrumb_pages(),
            "contributors": selectors.contributors(page),
            "related": selectors.related_articles(page),
            "translations": selectors.other_languages(page),
            "symptoms": page.symptom_list(),
            "ask_url": _url_with_query(
                "community_forum:ask",
                subject=page.title,
                body=_(
                    "I read the article “%(title)s” (%(url)s) "
                    "but it did not solve my problem:"
                )
                % {"title": page.title, "url": url},
            ),
            "ticket_url": _ticket_url(page, url, lang),
            "feedback_state": request.GET.get("helpful"),
            "can_edit": selectors.can_edit(request.user, page),
            "can_protect": selectors.can_protect(request.user),
        }
    )
    return context


def _ticket_url(page, url, lang):
    token = ticket_context_token(
        {
            "kind": "article",
            "article_title": page.title,
            "article_url": url,
            "lang": lang,
        }
    )
    # No subject: the article's title is not the person's problem (the form
    # asks for it, and keeps the article as context).
    return _url_with_query("support:ticket_create", context=token)


def article_detail(request, page):
    """The article; anonymous visitors get it from the cache until a KB page
    is published, unpublished, moved or deleted (see kb.signals)."""
    if not cache.cacheable(request):
        response = render(
            request, page.get_template(request), _article_context(request, page)
        )
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        else:
            patch_cache_control(response, private=True, no_cache=True)
        return response
    # Read before rendering: a publish during the render must not be hidden
    # behind the newer generation.
    generation = cache.generation()
    response = render(
        request, page.get_template(request), _article_context(request, page)
    )
    return cache.page_cache_store(request, response, page=page, generation=generation)


def kb_page(request, path):
    """Every KB URL: anonymous article pages come straight from the cache,
    without routing through the page tree; everything else goes to Wagtail."""
    return cache.cached_page(request) or serve(request, "kb/" + path)


@csrf_exempt  # same_origin_request below stands in for the token
def article_feedback_entry(request, path):
    """``<article>/feedback/``: the "did this help?" vote, sent from cached
    article pages that are the same bytes for every visitor and so hold no
    CSRF token. The browser's own Sec-Fetch-Site/Origin headers, which another
    site cannot forge, refuse cross-site votes instead (``config.origin``)."""
    if request.method != "POST":
        return kb_page(request, path + "feedback/")
    if not same_origin_request(request):
        return _forbidden(
            request,
            _(
                "Your vote was not counted: it did not come from a page of this "
                "site. Open the article and answer from its page."
            ),
        )
    return serve(request, "kb/" + path + "feedback/")


def kb_index(request):
    """``kb:index``: the KB root of the current language (served in place)."""
    structure.kb_root(_lang())
    return cache.cached_page(request) or serve(request, "kb/")


# --- editing ------------------------------------------------------------------


def _edit_initial(page):
    return {
        "title": page.title,
        "summary": page.summary,
        "body": page.body_markdown(),
        "symptoms": page.symptoms,
        "base_revision": page.live_revision_id,
    }


# Editors sign in: their limits follow the account, not the (shared) address.
EDIT_LIMIT, EDIT_PERIOD = 10, 600
PROPOSE_LIMIT, PROPOSE_PERIOD = 5, 3600
PREVIEW_LIMIT, PREVIEW_PERIOD = 60, 60


def article_edit(request, page):
    denied = _require_contributor(request)
    if denied:
        return denied
    if not selectors.can_edit(request.user, page):
        return _forbidden(
            request,
            _("This article is protected: only trusted members and staff can edit it."),
        )
    conflict = None
    limited = False
    if request.method == "POST":
        form = ArticleEditForm(request.POST)
        if form.is_valid():
            limited = form_rate_limited(
                request,
                form,
                scope="kb-edit",
                limit=EDIT_LIMIT,
                period=EDIT_PERIOD,
                message=_(
                    "You have saved many changes in the last minutes: please "
                    "wait a few minutes before saving again."
                ),
                ip_when_signed_in=False,
            )
        if form.is_valid():
            data = form.cleaned_data
            try:
                edit = editing.article_edit_submit(
                    page=page,
                    user=request.user,
                    title=data["title"],
                    summary=data["summary"],
                    body_markdown=data["body"],
                    symptoms=data["symptoms"],
                    edit_summary=data["edit_summary"],
                    base_revision_id=data["base_revision"],
                )
            except editing.EditConflict as exc:
                # Keep everything the editor typed; only the base moves on, so
                # saving again (after reading the diff) is a deliberate choice.
                post = request.POST.copy()
                post["base_revision"] = exc.current_revision_id or ""
                form = ArticleEditForm(post)
                form.is_valid()
                conflict = {
                    "diff": word_diff(exc.current_markdown, data["body"]),
                    "current": exc.current_markdown,
                }
            except editing.NothingChanged:
                form.add_error("body", _("You did not change anything."))
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            except PermissionDenied as exc:
                return _forbidden(request, str(exc))
            else:
                if edit.status == ArticleEdit.Status.ACCEPTED:
                    messages.success(request, _("Thank you! Your change is published."))
                else:
                    messages.success(
                        request,
                        _(
                            "Thank you! Your change will be published once a trusted "
                            "member has reviewed it."
                        ),
                    )
                return redirect(page.url)
    else:
        form = ArticleEditForm(initial=_edit_initial(page))
    status = 409 if conflict else 200
    response = render(
        request,
        "kb/article_edit.html",
        {
            "page": page,
            "form": form,
            "conflict": conflict,
            "trusted": selectors.is_trusted_editor(request.user),
        },
        status=status,
    )
    return rate_limited_response(response, EDIT_PERIOD) if limited else response


@require_POST
def markdown_preview(request):
    if not selectors.can_contribute(request.user):
        return JsonResponse({"error": _("Sign in to preview.")}, status=403)
    if ratelimit_over(
        request,
        "kb-preview",
        PREVIEW_LIMIT,
        PREVIEW_PERIOD,
        ip_when_signed_in=False,
    ):
        # The editor keeps the text; it only shows this instead of the preview.
        response = JsonResponse(
            {
                "error": _(
                    "The preview pauses for a minute (too many requests); "
                    "your text is kept and can still be saved."
                )
            },
            status=429,
        )
        response["Retry-After"] = str(PREVIEW_PERIOD)
        return response
    text = request.POST.get("text", "")[
        : ArticleEditForm.base_fields["body"].max_length
    ]
    return JsonResponse({"html": markdown_to_html(text)})


def article_propose(request):
    denied = _require_contributor(request)
    if denied:
        return denied
    lang = _lang()
    structure.kb_root(lang)
    limited = False
    if request.method == "POST":
        form = ArticleProposeForm(request.POST, lang=lang)
        if form.is_valid():
            limited = form_rate_limited(
                request,
                form,
                scope="kb-propose",
                limit=PROPOSE_LIMIT,
                period=PROPOSE_PERIOD,
                message=_(
                    "You have proposed many articles in the last hour: please "
                    "wait a while before sending this one."
                ),
                ip_when_signed_in=False,
            )
        if form.is_valid():
            data = form.cleaned_data
            try:
                editing.article_propose(
                    category=data["category"],
                    user=request.user,
                    title=data["title"],
                    summary=data["summary"],
                    body_markdown=data["body"],
                    symptoms=data["symptoms"],
                )
            except PermissionDenied as exc:
                return _forbidden(request, str(exc))
            messages.success(
                request,
                _(
                    "Thank you! Your article will be published "
                    "once it has been reviewed."
                ),
            )
            return redirect("kb:my_edits")
    else:
        form = ArticleProposeForm(
            lang=lang, initial={"title": request.GET.get("title", "")[:255]}
        )
    response = render(request, "kb/article_propose.html", {"form": form})
    return rate_limited_response(response, PROPOSE_PERIOD) if limited else response


# --- history ------------------------------------------------------------------


def _revision_text(revision):
    obj = revision.as_object()
    return {
        "title": obj.title,
        "summary": obj.summary,
        "body": obj.body_markdown(),
        "symptoms": obj.symptoms,
    }


def article_history(request, page):
    revisions = list(selectors.visible_revisions(page, request.user)[:200])
    rows = []
    for i, revision in enumerate(revisions):
        edit = getattr(revision, "kb_edit", None)
        previous = revisions[i + 1] if i + 1 < len(revisions) else None
        rows.append(
            {
                "revision": revision,
                "edit": edit,
                "author": _public_name(revision.user),
                "is_live": revision.pk == page.live_revision_id,
                "previous": previous,
            }
        )
    return render(
        request,
        "kb/article_history.html",
        {
            "page": page,
            "rows": rows,
            "can_rollback": selectors.can_rollback(request.user),
        },
    )


def _public_name(user):
    if user is None:
        return _("Import")
    return user_public_name(user)


def _visible_revision(page, user, revision_id):
    try:
        return selectors.visible_revisions(page, user).get(pk=revision_id)
    except (Revision.DoesNotExist, ValueError, TypeError):
        raise Http404(_("No such version of this article.")) from None


def article_diff(request, page):
    visible = selectors.visible_revisions(page, request.user)
    to_id = request.GET.get("to") or page.live_revision_id
    new = _visible_revision(page, request.user, to_id)
    from_id = request.GET.get("from")
    if from_id:
        old = _visible_revision(page, request.user, from_id)
    else:
        old = (
            visible.filter(created_at__lte=new.created_at)
            .exclude(pk=new.pk)
            .order_by("-created_at", "-pk")
            .first()
        )
    if old is not None and (old.created_at, old.pk) > (new.created_at, new.pk):
        old, new = new, old
    old_text = (
        _revision_text(old)
        if old
        else dict.fromkeys(("title", "summary", "body", "symptoms"), "")
    )
    new_text = _revision_text(new)
    diffs = [
        (_("Title"), word_diff(old_text["title"], new_text["title"])),
        (_("Summary"), word_diff(old_text["summary"], new_text["summary"])),
        (_("Symptoms"), word_diff(old_text["symptoms"], new_text["symptoms"])),
        (_("Text"), word_diff(old_text["body"], new_text["body"])),
    ]
    return render(
        request,
        "kb/article_diff.html",
        {
            "page": page,
            "old": old,
            "new": new,
            "diffs": diffs,
            "old_author": _public_name(old.user) if old else "",
            "new_author": _public_name(new.user),
            "can_rollback": selectors.can_rollback(request.user),
        },
    )


def article_rollback(request, page, revision_id):
    """GET asks for confirmation (showing what would change), POST restores."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    if not selectors.can_rollback(request.user):
        return _forbidden(request, _("Only trusted members and staff can roll back."))
    revision = get_object_or_404(page.revisions, pk=revision_id)
    if request.method == "GET":
        current = page.live_revision
        current_text = (
            _revision_text(current)
            if current
            else dict.fromkeys(("title", "summary", "body", "symptoms"), "")
        )
        chosen = _revision_text(revision)
        return render(
            request,
            "kb/rollback_confirm.html",
            {
                "page": page,
                "revision": revision,
                "author": _public_name(revision.user),
                "diffs": [
                    (label, word_diff(current_text[field], chosen[field]))
                    for label, field in (
                        (_("Title"), "title"),
                        (_("Summary"), "summary"),
                        (_("Text"), "body"),
                    )
                ],
            },
        )
    history.article_rollback(page=page, revision=revision, user=request.user)
    messages.success(request, _("The article was restored to the chosen version."))
    return redirect(page.url + page.reverse_subpage("history"))


def article_undo(request, page, edit_id):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not selectors.can_rollback(request.user):
        return _forbidden(request, _("Only trusted members and staff can undo edits."))
    edit = get_object_or_404(ArticleEdit, pk=edit_id, page=page)
    try:
        history.article_undo(edit=edit, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The edit was undone."))
    return redirect(page.url + page.reverse_subpage("history"))


def article_protect(request, page):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not selectors.can_protect(request.user):
        return _forbidden(request, _("Only staff can protect articles."))
    protected = request.POST.get("protected") == "1"
    editing.article_protect_set(page=page, protected=protected, user=request.user)
    messages.success(
        request,
        _("The article is now protected.")
        if protected
        else _("The article is no longer protected."),
    )
    return redirect(page.url)


# --- feedback -----------------------------------------------------------------


def article_feedback(request, page):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    ip = client_ip(request)
    if ratelimit_hit("kb-vote", "ip:" + ip, 30, 600):
        return too_many_requests(request, retry_after=600)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return _forbidden(request, _("Please answer yes or no."), status=400)
    helpful = form.cleaned_data["helpful"]
    if not request.session.session_key:
        request.session.save()
    counted = feedback.article_feedback_record(
        page=page,
        helpful=helpful,
        user=request.user if request.user.is_authenticated else None,
        session_key=request.session.session_key,
    )
    if not counted:
        messages.info(request, _("You already told us about this article. Thank you!"))
    answer = "yes" if helpful else "no"
    return redirect(f"{page.url}?helpful={answer}#feedback")


def feedback_stats(request):
    if not selectors.can_see_stats(request.user):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return _forbidden(request, _("Only staff can see these statistics."))
    lang = request.GET.get("lang") or None
    stats = selectors.helpfulness_stats(lang=lang)
    return render(
        request,
        "kb/feedback_stats.html",
        {
            "by_article": stats.order_by("-total", "title")[:200],
            "worst": stats.filter(total__gte=3).order_by("ratio", "-total")[:20],
            "lang": lang,
        },
    )


# --- review -------------------------------------------------------------------


def _require_reviewer(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not selectors.can_review(request.user):
        return _forbidden(request, _("Only trusted members and staff review changes."))
    return None


def review_queue(request):
    denied = _require_reviewer(request)
    if denied:
        return denied
    return render(request, "kb/review_queue.html", {"edits": selectors.pending_edits()})


@ratelimit("kb-review", limit=60, period=600)
def review_detail(request, pk):
    denied = _require_reviewer(request)
    if denied:
        return denied
    edit = get_object_or_404(
        ArticleEdit.objects.select_related(
            "page", "revision", "base_revision", "author"
        ),
        pk=pk,
    )
    page = edit.page
    reject_form = RejectForm()
    revise_form = None
    if request.method == "POST" and edit.is_pending:
        action = request.POST.get("action")
        try:
            if action == "approve":
                editing.article_edit_approve(edit=edit, reviewer=request.user)
                messages.success(request, _("The change is published."))
                return redirect("kb:review")
            if action == "revise":
                revise_form = ReviewReviseForm(request.POST)
                if revise_form.is_valid():
                    data = revise_form.cleaned_data
                    edit = editing.article_edit_revise(
                        edit=edit,
                        reviewer=request.user,
                        title=data["title"],
                        summary=data["summary"],
                        body_markdown=data["body"],
                        symptoms=data["symptoms"],
                    )
                    if "publish" in request.POST:
                        editing.article_edit_approve(edit=edit, reviewer=request.user)
                        messages.success(
                            request, _("Your corrections are saved and published.")
                        )
                        return redirect("kb:review")
                    messages.success(
                        request,
                        _(
                            "Your corrections are saved; the change still waits for a "
                            "decision."
                        ),
                    )
                    return redirect("kb:review_detail", pk=edit.pk)
            if action == "reject":
                reject_form = RejectForm(request.POST)
                if reject_form.is_valid():
                    editing.article_edit_reject(
                        edit=edit,
                        reviewer=request.user,
                        reason=reject_form.cleaned_data["reason"],
                    )
                    messages.success(
                        request,
                        _("The change was rejected; the author will see your reason."),
                    )
                    return redirect("kb:review")
        except PermissionDenied as exc:
            return _forbidden(request, str(exc))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("kb:review_detail", pk=edit.pk)
    proposed = _revision_text(edit.revision)
    base = _revision_text(edit.base_revision) if edit.base_revision else None
    empty = dict.fromkeys(("title", "summary", "body", "symptoms"), "")
    stale = edit.is_pending and selectors.edit_is_stale(edit, page)
    diffs = [
        (label, word_diff((base or empty)[field], proposed[field]))
        for label, field in (
            (_("Title"), "title"),
            (_("Summary"), "summary"),
            (_("Symptoms"), "symptoms"),
            (_("Text"), "body"),
        )
    ]
    current_diff = merged = None
    if stale:
        # What approving would change on the live article: the merge when it
        # is clean, else the whole difference the reviewer has to merge by hand.
        merged = selectors.edit_merged_fields(edit, page)
        current_diff = word_diff(page.body_markdown(), (merged or proposed)["body"])
    return render(
        request,
        "kb/review_detail.html",
        {
            "edit": edit,
            "page": page,
            "diffs": diffs,
            "stale": stale,
            "current_diff": current_diff,
            "conflict": stale and merged is None,
            "own_change": edit.author_id == request.user.pk,
            "preview_html": edit.revision.as_object().body_html(),
            "reject_form": reject_form,
            "revise_form": revise_form or ReviewReviseForm(initial=proposed),
            "author": _public_name(edit.author),
        },
    )


def my_edits(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return render(
        request,
        "kb/my_edits.html",
        {
            "edits": selectors.edits_by(request.user)[:100],
            "trusted": selectors.is_trusted_editor(request.user),
        },
    )


# --- feed ---------------------------------------------------------------------


def article_feed(request, index):
    lang = index.locale.language_code
    feed = feedgenerator.Atom1Feed(
        title=_("%(site)s knowledge base: recent changes") % {"site": "Entraide"},
        link=request.build_absolute_uri(index.url),
        description=_("Recently updated articles"),
        language=lang,
        feed_url=request.build_absolute_uri(),
    )
    for article in selectors.recently_changed(lang, limit=30):
        link = request.build_absolute_uri(article.url)
        feed.add_item(
            title=article.title,
            link=link,
            description=article.summary,
            unique_id=f"{link}#rev-{article.live_revision_id}",
            updateddate=article.last_published_at,
            pubdate=article.first_published_at,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    patch_cache_control(response, public=True, max_age=300)
    return response
