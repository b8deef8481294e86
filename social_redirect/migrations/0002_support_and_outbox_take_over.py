"""Tickets move to the support app, outgoing mail to the outbox app.

The tables stay where they are (the new models keep their names through
``db_table``): support 0001 and outbox 0001 take them over in Django's state,
this migration lets go of them. The only database change is the mail's ticket
column: the outbox serves the whole site, so a mail names its ticket in an
``X-Entraide-Ticket`` header instead, copied here from the column first.
"""

from django.db import migrations

TICKET_HEADER = "X-Entraide-Ticket"


def ticket_reference_to_header(apps, schema_editor):
    OutboundMail = apps.get_model("social_redirect", "OutboundMail")
    Ticket = apps.get_model("social_redirect", "Ticket")
    references = dict(Ticket.objects.values_list("pk", "reference"))
    mails = OutboundMail.objects.filter(ticket__isnull=False).only("headers", "ticket")
    for mail in mails.iterator():
        reference = references.get(mail.ticket_id)
        if reference:
            mail.headers = {**(mail.headers or {}), TICKET_HEADER: reference}
            mail.save(update_fields=["headers"])


def ticket_header_to_reference(apps, schema_editor):
    OutboundMail = apps.get_model("social_redirect", "OutboundMail")
    Ticket = apps.get_model("social_redirect", "Ticket")
    tickets = dict(Ticket.objects.values_list("reference", "pk"))
    for mail in OutboundMail.objects.only("headers").iterator():
        ticket_id = tickets.get((mail.headers or {}).get(TICKET_HEADER))
        if ticket_id:
            OutboundMail.objects.filter(pk=mail.pk).update(ticket_id=ticket_id)


class Migration(migrations.Migration):
    dependencies = [
        ("social_redirect", "0001_initial"),
        ("support", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(ticket_reference_to_header, ticket_header_to_reference),
        migrations.RemoveField(model_name="outboundmail", name="ticket"),
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="TicketAttachment"),
                migrations.DeleteModel(name="TicketMessage"),
                migrations.DeleteModel(name="TicketDeflection"),
                migrations.DeleteModel(name="OutboundMail"),
                migrations.DeleteModel(name="Ticket"),
            ],
        ),
    ]
