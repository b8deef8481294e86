import gc
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from config.env import refuse_development_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
# gunicorn and runserver both load this module.
refuse_development_key(settings)

# Import every view now rather than on the first request, then move everything
# loaded so far out of the garbage collector's reach: a full collection walks
# every live object (~170,000 after start-up: Django, Wagtail, machina), which
# stalls a worker for ~100 ms at random moments. These objects live as long as
# the process anyway.
get_resolver().check()  # loads the URLconf, so every view module
gc.collect()
gc.freeze()
