from allauth.account import views as allauth_views
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog
from machina import urls as machina_urls
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.urls import WAGTAIL_FRONTEND_LOGIN_TEMPLATE

from config import views
from config.login import AdminLoginForm, SiteLoginForm
from config.timing import response_floor

# Every password form shares allauth's failed-login limit (config/login.py).
admin.site.login_form = AdminLoginForm

# Not language-prefixed: machine endpoints, short links, admin.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.language_set, name="set_language"),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("django-admin/", admin.site.urls),
    # Where people look for the administration first: the Wagtail admin.
    re_path(r"^admin(?:/.*)?$", RedirectView.as_view(url="/cms/", permanent=False)),
    path("", include("search.api_urls")),
    path("", include("social_redirect.api_urls")),
    path("", include("status.api_urls")),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("", include("accounts.urls")),
    # Same answer time for known and unknown addresses (allauth's own view).
    path(
        "accounts/password/reset/",
        response_floor(allauth_views.password_reset),
        name="account_reset_password",
    ),
    path("accounts/", include("allauth.urls")),
    path("", include("forum.urls")),
    path("forum/", include(machina_urls)),
    path("", include("search.urls")),
    path("", include("social_redirect.urls")),
    path("", include("support.urls")),
    path("", include("status.urls")),
    path("", include("kb.urls")),
    # Wagtail's private-page login, with the form that goes through allauth.
    path(
        "_util/login/",
        auth_views.LoginView.as_view(
            template_name=WAGTAIL_FRONTEND_LOGIN_TEMPLATE,
            authentication_form=SiteLoginForm,
        ),
        name="wagtailcore_login",
    ),
    # Wagtail serves the knowledge base pages (/<lang>/kb/<category>/<article>/).
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = (
        static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
    )

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
