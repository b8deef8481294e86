"""The new-member rule: which posts wait in machina's moderation queue."""

import re

from machina.apps.forum_conversation.models import Post

from accounts import roles
from forum import conf

# Anything a reader could follow: a URL, a bare domain, a Markdown or HTML link.
LINK_RE = re.compile(
    r"(https?://|ftp://|www\.|\]\s*\(|<\s*a\s|"
    r"\b[a-z0-9-]+\.(com|net|org|info|biz|io|ly|co|fr|ru|cn|xyz|top|me|app)\b)",
    re.IGNORECASE,
)

# Roles whose posts never wait.
TRUSTED_ROLES = (
    roles.TRUSTED_MEMBERS,
    roles.MODERATORS,
    roles.SUPPORT_AGENTS,
    roles.COMMUNITY_MANAGERS,
    roles.STAFF,
)


def approved_posts_count(user):
    return Post.objects.filter(poster=user, approved=True).count()


def contains_link(text):
    return bool(LINK_RE.search(text or ""))


def post_needs_approval(user, content):
    """True when a post by ``user`` must be approved by a moderator first.

    A new member's first ``FORUM_MODERATED_FIRST_POSTS`` posts wait, and so does
    any post with a link until they have ``FORUM_NEW_MEMBER_POSTS`` approved posts.
    """
    if user is None or not user.is_authenticated:
        return True
    if roles.user_in(user, *TRUSTED_ROLES):
        return False
    count = approved_posts_count(user)
    if count < conf.moderated_first_posts():
        return True
    return count < conf.new_member_posts() and contains_link(content)


def edit_needs_approval(post, old_content):
    """A new member who edits a link into a post sends it back to the queue."""
    user = post.poster
    if user is None or post.updated_by_id not in (None, user.pk):
        return False  # edited by a moderator
    new_content = post.content.raw or ""
    if new_content == (old_content or "") or not contains_link(new_content):
        return False
    if contains_link(old_content):
        return False
    if roles.user_in(user, *TRUSTED_ROLES):
        return False
    return approved_posts_count(user) <= conf.new_member_posts()
