from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from outbox.models import OutboundMail
from outbox.services import mail_retry


@admin.register(OutboundMail)
class OutboundMailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to", "subject", "status", "attempts"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutboundMail._meta.fields]
    actions = ["retry_now"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send again now"))
    def retry_now(self, request, queryset):
        sent, failing = mail_retry(mails=list(queryset.exclude(status="sent")))
        self.message_user(
            request,
            ngettext("%(n)d e-mail sent.", "%(n)d e-mails sent.", sent) % {"n": sent}
            + " "
            + ngettext("%(n)d still failing.", "%(n)d still failing.", failing)
            % {"n": failing},
            messages.SUCCESS if not failing else messages.WARNING,
        )
