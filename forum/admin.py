from django.contrib import admin

from forum.models import ForumLanguage, ModerationLog, PostReport


@admin.register(ForumLanguage)
class ForumLanguageAdmin(admin.ModelAdmin):
    list_display = ["forum", "lang", "is_default"]
    list_filter = ["lang"]


@admin.register(PostReport)
class PostReportAdmin(admin.ModelAdmin):
    list_display = ["post", "reason", "status", "reporter", "created_at"]
    list_filter = ["status", "reason"]
    raw_id_fields = ["post", "reporter", "handled_by"]


@admin.register(ModerationLog)
class ModerationLogAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is never edited."""

    list_display = ["created_at", "action", "actor", "author", "subject"]
    list_filter = ["action"]
    search_fields = ["subject", "content", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
