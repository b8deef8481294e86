"""Social redirect: short links, landing feedback, webhooks, dashboard."""

import base64
import hashlib
import hmac
import json
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import (
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import (
    require_http_methods,
    require_POST,
    require_safe,
)

from accounts import roles
from config.ratelimit import form_rate_limited, rate_limited_response, ratelimit
from config.urls_safety import safe_local_url
from social_redirect import selectors, tasks
from social_redirect.forms import MentionPasteForm, ReplyTemplateForm
from social_redirect.models import Mention
from social_redirect.services import links as link_services
from social_redirect.services import mentions as mention_services
from social_redirect.services.replies import (
    DEFAULT_TEMPLATES,
    VARIANT_LABELS,
    reply_template_save,
    reply_template_text,
    x_length,
)
from social_redirect.triage.display import matching_note, mention_triage_display

MAX_WEBHOOK_BYTES = 1024 * 1024
# No format we read nests deeper than a few levels.
MAX_JSON_DEPTH = 20
WEBHOOK_TOLERANCE_SECONDS = 5 * 60

# --- Short links -------------------------------------------------------------


def _not_found(request):
    response = render(request, "social_redirect/social/link_not_found.html", status=404)
    # LocaleMiddleware turns a 404 on an unprefixed path into a redirect to
    # /<lang>/r/<code>/ (Wagtail's catch-all makes any path look valid); the
    # visitor must get this friendly page instead. Judging the 404 against the
    # short-link URLs alone keeps the answer as is.
    request.urlconf = "social_redirect.api_urls"
    return response


@require_safe  # link-preview bots often ask with HEAD
def short_link(request, code):
    resolved = link_services.link_resolve(code)
    if resolved is None:
        return _not_found(request)
    link_id, path = resolved
    if not link_services.is_bot(request.META.get("HTTP_USER_AGENT", "")):
        link_services.link_click_record(link_id)
    response = HttpResponseRedirect(link_services.landing_path(path, code))
    # A preview bot must not cache one visitor's redirect for everyone else.
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_POST
@ratelimit("social-feedback", 20, 60)
def link_feedback(request, code):
    link = link_services.link_for_code(code)
    if link is None or link.is_expired():
        return _not_found(request)
    answer = request.POST.get("helpful")
    if answer not in ("yes", "no"):
        return HttpResponseBadRequest(_("Answer yes or no."))
    link_services.link_feedback(link=link, helpful=answer == "yes")
    if answer == "yes":
        messages.success(request, _("Thank you! Glad it helped."))
        target = safe_local_url(link.target_path) or "/"
        return HttpResponseRedirect(target)
    return HttpResponseRedirect(link_services.link_ticket_path(link))


# --- Webhooks ------------------------------------------------------------------


def _hmac_valid(secret, body, header):
    if not secret or not header:
        return False
    expected_hex = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    expected_b64 = base64.b64encode(
        hmac.new(secret.encode(), body, hashlib.sha256).digest()
    ).decode()
    value = header.strip()
    if value.startswith("sha256="):
        value = value[len("sha256=") :]
    return hmac.compare_digest(value, expected_hex) or hmac.compare_digest(
        value, expected_b64
    )


def _fresh_timestamp(header, now=None):
    """The signed timestamp when it is within the tolerance, else None: a
    delivery captured once cannot be replayed later."""
    value = (header or "").strip()
    if not value.isdigit() or len(value) > 12:
        return None
    now = time.time() if now is None else now
    if abs(now - int(value)) > WEBHOOK_TOLERANCE_SECONDS:
        return None
    return value


def _json_depth(value):
    """Nesting depth of a decoded JSON value, without recursion."""
    depth, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            depth = max(depth, level)
            if depth > MAX_JSON_DEPTH:
                return depth
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return depth


def _read_json(request):
    """``(payload, None)`` or ``(None, error message)``."""
    try:
        payload = json.loads(request.body.decode("utf-8"))
    except ValueError:  # undecodable bytes, bad JSON, a 5,000-digit number
        return None, "invalid JSON"
    except RecursionError:
        return None, "JSON nested too deeply"
    if _json_depth(payload) > MAX_JSON_DEPTH:
        return None, "JSON nested too deeply"
    return payload, None


def _store(payload, source):
    try:
        report = mention_services.mentions_from_webhook(payload=payload, source=source)
    except mention_services.MentionError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    if report.to_refine:
        tasks.mentions_refine_later()
    body = {
        "created": report.created,
        "duplicates": report.duplicates,
        "rejected": len(report.errors),
        "errors": report.errors[:50],
    }
    # Nothing usable at all is the sender's error; otherwise the good records
    # are stored and the bad ones listed.
    status = 400 if report.errors and not report.stored else 202
    return JsonResponse(body, status=status)


@csrf_exempt
@require_POST
@ratelimit("social-webhook", 120, 60, per_user=False, as_json=True)
def mentions_webhook(request):
    """Listening tools POST JSON with two headers: ``X-Entraide-Timestamp``
    (Unix seconds) and ``X-Entraide-Signature: sha256=<hex HMAC-SHA256 of
    "<timestamp>.<body>" with MENTIONS_WEBHOOK_SECRET>``. A timestamp more
    than five minutes away from our clock is refused (replays)."""
    if len(request.body) > MAX_WEBHOOK_BYTES:
        return JsonResponse({"error": "payload too large"}, status=413)
    timestamp = _fresh_timestamp(request.headers.get("X-Entraide-Timestamp"))
    if timestamp is None:
        return JsonResponse(
            {"error": "missing or stale X-Entraide-Timestamp"}, status=403
        )
    signature = request.headers.get("X-Entraide-Signature", "")
    signed = timestamp.encode() + b"." + request.body
    if not _hmac_valid(settings.MENTIONS_WEBHOOK_SECRET, signed, signature):
        return JsonResponse({"error": "bad signature"}, status=403)
    payload, error = _read_json(request)
    if error:
        return JsonResponse({"error": error}, status=400)
    return _store(payload, Mention.Source.WEBHOOK)


def crc_response_token(consumer_secret, crc_token):
    digest = hmac.new(
        consumer_secret.encode(), crc_token.encode(), hashlib.sha256
    ).digest()
    return "sha256=" + base64.b64encode(digest).decode()


@csrf_exempt
@require_http_methods(["GET", "POST"])
@ratelimit("social-x", 120, 60, methods=("GET", "POST"), per_user=False, as_json=True)
def x_account_activity(request):
    """X Account Activity API: CRC challenge (GET) and signed deliveries (POST)."""
    secret = settings.X_CONSUMER_SECRET
    if not secret:
        return JsonResponse(
            {"error": "X_CONSUMER_SECRET is not configured"}, status=503
        )
    if request.method == "GET":
        crc_token = request.GET.get("crc_token", "")
        if not crc_token or len(crc_token) > 500:
            return JsonResponse({"error": "crc_token missing"}, status=400)
        return JsonResponse({"response_token": crc_response_token(secret, crc_token)})
    if len(request.body) > MAX_WEBHOOK_BYTES:
        return JsonResponse({"error": "payload too large"}, status=413)
    signature = request.headers.get("X-Twitter-Webhooks-Signature", "")
    if not _hmac_valid(secret, request.body, signature):
        return HttpResponseForbidden("bad signature")
    payload, error = _read_json(request)
    if error:
        return JsonResponse({"error": error}, status=400)
    if not isinstance(payload, dict) or "tweet_create_events" not in payload:
        # Likes, follows, DMs…: acknowledged, nothing to store.
        return JsonResponse({"created": 0, "duplicates": 0})
    return _store(payload, Mention.Source.X_API)


# --- Dashboard -----------------------------------------------------------------


def _community_manager_required(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not roles.user_in(request.user, roles.COMMUNITY_MANAGERS, roles.STAFF):
            raise PermissionDenied(_("The social dashboard is for community managers."))
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _decorate(mention, templates):
    """Reply drafts and short link of a dashboard card; ``mention.link`` and
    ``templates`` come from the selectors, so a card costs no query."""
    link = mention.link
    lang = mention.lang if mention.lang in ("fr", "en") else "en"
    variant = mention_services.mention_reply_variant(mention)
    mention.short_url = mention_services.short_url(link) if link else ""
    mention.reply = (
        mention_services.mention_reply(
            mention, variant=variant, link=link, template=templates[(variant, lang)]
        )
        if variant
        else ""
    )
    mention.reply_length = x_length(mention.reply)
    mention.auto_reply = mention_services.mention_reply(
        mention,
        variant="automatic",
        link=link,
        template=templates[("automatic", lang)],
    )
    mention.triage = mention_triage_display(mention)
    return mention


PASTE_LIMIT, PASTE_PERIOD = 60, 60


@never_cache
@_community_manager_required
def dashboard(request):
    form = MentionPasteForm(request.POST or None)
    limited = (
        request.method == "POST"
        and form.is_valid()
        and form_rate_limited(
            request,
            form,
            scope="social-paste",
            limit=PASTE_LIMIT,
            period=PASTE_PERIOD,
            message=_("You have added many posts in the last minute."),
        )
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            mention, created = mention_services.mention_create(
                source=Mention.Source.MANUAL,
                text=data["text"],
                url=data["url"],
                author_handle=data["author_handle"],
                followers_count=data["followers_count"] or 0,
            )
        except mention_services.MentionError as exc:
            form.add_error(None, str(exc))
        else:
            if created:
                messages.success(request, _("Mention added and triaged."))
            else:
                messages.info(request, _("This post was already in the queue."))
            return redirect(f"{request.path}#mention-{mention.pk}")
    templates = selectors.reply_template_texts()
    queue = [_decorate(m, templates) for m in selectors.mention_queue()]
    handled = [_decorate(m, templates) for m in selectors.recent_handled()]
    response = render(
        request,
        "social_redirect/social/dashboard.html",
        {
            "form": form,
            "queue": queue,
            "handled": handled,
            "figures": selectors.acknowledgement_figures(),
            "target_minutes": settings.SOCIAL_ACK_TARGET_MINUTES,
            "matching_note": matching_note(),
        },
    )
    return rate_limited_response(response, PASTE_PERIOD) if limited else response


@require_POST
@_community_manager_required
def mention_action(request, pk):
    mention = get_object_or_404(Mention, pk=pk)
    action = request.POST.get("action")
    if action == "replied":
        mention_services.mention_mark_replied(mention=mention, user=request.user)
        messages.success(request, _("Marked as replied."))
    elif action == "ignore":
        mention_services.mention_ignore(mention=mention, user=request.user)
        messages.info(request, _("Mention ignored."))
    elif action == "target":
        try:
            mention_services.mention_choose_target(
                mention=mention,
                candidate_url=request.POST.get("target", ""),
                user=request.user,
            )
        except mention_services.MentionError:
            messages.error(request, _("Choose one of the suggested targets."))
        else:
            messages.success(request, _("Target changed; the reply uses a new link."))
    else:
        return HttpResponseBadRequest(_("Unknown action."))
    return redirect(reverse("social_redirect:dashboard") + f"#mention-{mention.pk}")


@never_cache
@_community_manager_required
def reply_templates(request):
    if not roles.user_in(request.user, roles.STAFF):
        raise PermissionDenied(_("Only staff can edit reply templates."))
    rows = []
    saved = False
    for (variant, lang), _default in DEFAULT_TEMPLATES.items():
        prefix = f"{variant}-{lang}"
        initial = {"text": reply_template_text(variant, lang)}
        if request.method == "POST" and request.POST.get("prefix") == prefix:
            form = ReplyTemplateForm(request.POST, prefix=prefix)
            if form.is_valid():
                reply_template_save(
                    variant=variant, lang=lang, text=form.cleaned_data["text"]
                )
                saved = True
        else:
            form = ReplyTemplateForm(initial=initial, prefix=prefix)
        rows.append(
            {
                "prefix": prefix,
                "variant": VARIANT_LABELS[variant],
                "lang": lang,
                "form": form,
            }
        )
    if saved:
        messages.success(request, _("Template saved."))
        return redirect(request.path)
    return render(
        request, "social_redirect/social/reply_templates.html", {"rows": rows}
    )
