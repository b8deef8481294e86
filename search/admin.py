from django.contrib import admin

from search.models import IndexUpdate, QueryLog, SynonymGroup


@admin.register(SynonymGroup)
class SynonymGroupAdmin(admin.ModelAdmin):
    list_display = ["terms", "lang", "active", "updated_at"]
    list_filter = ["active", "lang"]
    search_fields = ["terms"]


@admin.register(QueryLog)
class QueryLogAdmin(admin.ModelAdmin):
    list_display = ["query", "lang", "result_count", "clicked_rank", "created_at"]
    list_filter = ["lang", "interface", "degraded"]
    search_fields = ["query"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(IndexUpdate)
class IndexUpdateAdmin(admin.ModelAdmin):
    list_display = ["doc_id", "action", "attempts", "created_at", "last_error"]
    readonly_fields = ["doc_id", "action", "attempts", "last_error", "created_at"]
