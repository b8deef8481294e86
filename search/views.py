"""The search page, its JSON API, click tracking and the analytics page."""

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.roles import COMMUNITY_MANAGERS, STAFF, SUPPORT_AGENTS, user_in
from config.ratelimit import ratelimit
from config.urls_safety import safe_local_url
from search import selectors, services
from search.analysis import normalize_lang

PAGE_SIZE = 10
API_MAX_LIMIT = 50
# A result's rank in the click-through link; anything larger is not ours.
MAX_RANK = 10_000


def click_signature(log_id):
    """Log ids are sequential: a click counts only with the signature our
    results page put in its link, so nobody overwrites another visitor's."""
    return signing.Signer(salt="search.click").signature(str(log_id))


def _search_limit():
    return settings.SEARCH_RATE_LIMIT_PER_MINUTE


def _suggest_limit():
    return settings.SEARCH_RATE_LIMIT_PER_MINUTE * 5


def _query_error(query):
    """A translated message when ``query`` cannot be searched, else None."""
    try:
        services.clean_query(query)
    except services.SearchError:
        if (query or "").strip() and len(query.strip()) > services.MAX_QUERY_LENGTH:
            return _("Your search is too long: keep it under %(max)s characters.") % {
                "max": services.MAX_QUERY_LENGTH
            }
        return _("Type at least one word to search for.")
    return None


def _kinds(request):
    kinds = []
    for value in request.GET.getlist("kind"):
        kinds.extend(part for part in value.split(",") if part)
    unknown = [k for k in kinds if k not in services.KINDS]
    return kinds, unknown


def _bool_param(value):
    return {"yes": True, "true": True, "1": True, "no": False, "false": False}.get(
        (value or "").lower()
    )


@require_GET
@ratelimit("search-page", _search_limit, 60, methods=("GET",), per_user=False)
def search_page(request):
    query = request.GET.get("q", "").strip()
    lang = normalize_lang(get_language()) or "fr"
    kinds, _unknown = _kinds(request)
    kinds = [k for k in kinds if k in services.KINDS]
    category = request.GET.get("category", "").strip()[:255]
    solved = _bool_param(request.GET.get("solved"))
    context = {
        "search_query": query,
        "kinds": kinds,
        "category": category,
        "solved": request.GET.get("solved", ""),
        "response": None,
    }
    if not query:
        return render(request, "search/search.html", context)
    error = _query_error(query)
    if error:
        context["error"] = error
        return render(request, "search/search.html", context, status=400)
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    filters = {"category": category or None, "solved": solved}
    response = services.search(
        query,
        lang=lang,
        kinds=kinds,
        filters=filters,
        limit=PAGE_SIZE,
        offset=(page_number - 1) * PAGE_SIZE,
        facets=True,
    )
    log = services.query_log(
        query=query, lang=lang, kinds=kinds, response=response, interface="page"
    )
    paginator = Paginator(range(response.total), PAGE_SIZE)
    page = paginator.get_page(page_number)
    first_rank = (page.number - 1) * PAGE_SIZE
    context.update(
        {
            "response": response,
            "page": page,
            "results": [
                (hit, first_rank + i + 1) for i, hit in enumerate(response.results)
            ],
            "log": log,
            "click_sig": click_signature(log.pk) if log else "",
            "facets": response.facets,
        }
    )
    return render(request, "search/search.html", context)


@require_GET
def click(request, log_id):
    """Count a click on a result, then go to it (local URLs only)."""
    target = request.GET.get("to", "")
    if safe_local_url(target) is None:
        return redirect("search:search")
    rank = request.GET.get("rank", "")
    rank = int(rank) if rank.isdigit() and len(rank) <= 6 else 0
    signature = request.GET.get("sig", "")
    # The visitor always gets to the page; only the click of the search this
    # page showed is counted, never someone else's.
    if signature and signing.constant_time_compare(signature, click_signature(log_id)):
        services.query_log_click(
            log_id=log_id, url=target, rank=rank if 0 < rank <= MAX_RANK else None
        )
    return HttpResponseRedirect(target)


def _api_error(message, status=400):
    return JsonResponse({"error": message}, status=status)


@require_GET
@ratelimit(
    "search-api", _search_limit, 60, methods=("GET",), per_user=False, as_json=True
)
def api_search(request):
    query = request.GET.get("q", "")
    error = _query_error(query)
    if error:
        return _api_error(error)
    lang = request.GET.get("lang") or None
    if lang and normalize_lang(lang) is None:
        return _api_error(_("Unknown language: use fr or en."))
    kinds, unknown = _kinds(request)
    if unknown:
        return _api_error(_("Unknown kind: use article or topic."))
    try:
        limit = min(API_MAX_LIMIT, max(1, int(request.GET.get("limit", "10"))))
    except ValueError:
        return _api_error(_("limit must be a whole number."))
    response = services.search(query.strip(), lang=lang, kinds=kinds, limit=limit)
    services.query_log(
        query=query.strip(),
        lang=lang,
        kinds=kinds,
        response=response,
        interface="api",
        buffered=True,
    )
    return JsonResponse(
        {
            "backend": response.backend,
            "degraded": response.degraded,
            "suggestion": response.suggestion,
            "results": [
                {
                    "kind": hit.kind,
                    "id": hit.id,
                    "title": hit.title,
                    "url": hit.url,
                    "snippet": hit.snippet,
                    "score": hit.score,
                    "source": hit.source,
                    "lang": hit.lang,
                    "category": hit.category,
                    "solved": hit.solved,
                }
                for hit in response.results
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
@ratelimit(
    "search-suggest", _suggest_limit, 60, methods=("GET",), per_user=False, as_json=True
)
def api_suggest(request):
    query = request.GET.get("q", "")
    if len(query) > services.MAX_QUERY_LENGTH:
        return _api_error(_query_error(query))
    lang = request.GET.get("lang") or None
    if lang and normalize_lang(lang) is None:
        return _api_error(_("Unknown language: use fr or en."))
    suggestions = services.suggest(query, lang=lang)
    return JsonResponse(
        {
            "completions": suggestions["completions"],
            "results": [
                {"kind": h.kind, "title": h.title, "url": h.url}
                for h in suggestions["results"]
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def insights(request):
    if not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?next={request.get_full_path()}")
    if not user_in(request.user, STAFF, COMMUNITY_MANAGERS, SUPPORT_AGENTS):
        raise PermissionDenied
    try:
        days = min(365, max(1, int(request.GET.get("days", "30"))))
    except ValueError:
        days = 30
    return render(
        request, "search/insights.html", {"insights": selectors.search_insights(days)}
    )
