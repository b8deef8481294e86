import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    """Takes over the mail table social_redirect created for tickets (state
    only: same table, same rows); 0002 then generalizes it."""

    initial = True

    dependencies = [
        ("social_redirect", "0002_support_and_outbox_take_over"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="OutboundMail",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=10)),
                        ("to", models.EmailField(max_length=254)),
                        ("subject", models.CharField(max_length=255)),
                        ("body", models.TextField()),
                        ("headers", models.JSONField(blank=True, default=dict)),
                        ("status", models.CharField(choices=[("pending", "Waiting to be sent"), ("sent", "Sent"), ("failed", "Failed")], default="pending", max_length=10, verbose_name="status")),
                        ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                        ("last_error", models.TextField(blank=True, verbose_name="last error")),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("next_attempt_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={
                        "verbose_name": "outbound e-mail",
                        "verbose_name_plural": "outbound e-mails",
                        "ordering": ["-created_at"],
                        "db_table": "social_redirect_outboundmail",
                        "indexes": [models.Index(fields=["status", "next_attempt_at"], name="social_redi_status_827858_idx")],
                    },
                ),
            ],
        ),
    ]
