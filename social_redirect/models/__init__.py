# Two features share this app: private tickets and social mentions/redirects.
from social_redirect.models.mentions import *  # noqa: F401,F403
from social_redirect.models.tickets import *  # noqa: F401,F403
