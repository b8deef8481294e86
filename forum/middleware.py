import re
import uuid

from machina.apps.forum_permission.middleware import (
    ForumPermissionMiddleware as MachinaForumPermissionMiddleware,
)
from machina.apps.forum_permission.middleware import PermissionHandler

_FORUM_PATH = re.compile(r"^/[a-z]{2}(?:-[a-z]+)?/forum/")


class ForumPermissionMiddleware(MachinaForumPermissionMiddleware):
    """machina's middleware, minus a session for every anonymous page view.

    machina stores an "anonymous forum key" in the session of every anonymous
    visitor on every page, which writes a session row and sets a cookie on
    pages that have nothing to do with the forum (and makes them uncacheable).
    Outside the forum the key only lives for the request.
    """

    def process_request(self, request):
        if request.user.is_authenticated or _FORUM_PATH.match(request.path_info):
            return super().process_request(request)
        request.user.forum_key = uuid.uuid4().hex
        request.forum_permission_handler = PermissionHandler()
