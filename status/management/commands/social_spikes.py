import json

from django.core.management.base import BaseCommand

from status.services import spike_alert_url, spikes_detect


class Command(BaseCommand):
    help = (
        "Run spike detection once over recent mentions and tickets; print each "
        "spike as one JSON line (topic, count, expected, window, mention_ids). "
        "New spikes raise an alert and e-mail staff unless --no-mail."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-mail", action="store_true", help="record alerts, mail nobody"
        )

    def handle(self, *args, **options):
        for spike, alert, created in spikes_detect(notify=not options["no_mail"]):
            line = spike.as_json()
            if alert is not None:
                line["alert_id"] = alert.pk
                line["new_alert"] = created
                line["incident_url"] = spike_alert_url(alert)
            self.stdout.write(json.dumps(line, ensure_ascii=False))
