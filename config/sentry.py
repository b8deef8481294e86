"""sentry-sdk start-up, called from settings only when ``SENTRY_DSN`` is set."""

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration


def sentry_init(*, dsn: str, environment: str, release: str) -> None:
    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        # No e-mail addresses, IP addresses, cookies or bodies of our users.
        send_default_pii=False,
        environment=environment,
        release=release or None,
        # Errors only: performance tracing is a separate decision (and cost).
        traces_sample_rate=0.0,
    )
