"""Who may do what in the forum, expressed in machina's permission tables.

Global grants (``forum=None``) so every forum, including the ones staff add
later, follows the same rules. Synced after every ``migrate`` and by the demo
loader; idempotent.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from machina.apps.forum_permission.defaults import PermissionConfig
from machina.apps.forum_permission.models import (
    ForumPermission,
    GroupForumPermission,
    UserForumPermission,
)

from accounts import roles

READ = ["can_see_forum", "can_read_forum", "can_download_file"]
# Members may post without approval in machina's sense; the new-member rule
# (first posts, links) is applied on top by `forum.moderation`.
WRITE = [
    "can_start_new_topics",
    "can_reply_to_topics",
    "can_edit_own_posts",
    "can_post_without_approval",
    "can_vote_in_polls",
]
MODERATE = [
    "can_lock_topics",
    "can_move_topics",
    "can_edit_posts",
    "can_delete_posts",
    "can_approve_posts",
    "can_reply_to_locked_topics",
    "can_post_stickies",
]
STAFF_ONLY = [
    "can_post_announcements",
    "can_create_polls",
    "can_attach_file",
    "can_delete_own_posts",
]

GROUP_PERMISSIONS = {
    roles.MEMBERS: READ + WRITE,
    roles.TRUSTED_MEMBERS: READ + WRITE,
    roles.SUPPORT_AGENTS: READ + WRITE,
    roles.MODERATORS: READ + WRITE + MODERATE,
    roles.COMMUNITY_MANAGERS: READ + WRITE + MODERATE,
    roles.STAFF: READ + WRITE + MODERATE + STAFF_ONLY,
}
# Django model permissions that let staff manage forums in the admin.
STAFF_MODEL_PERMISSIONS = [
    ("forum", "add_forum"),
    ("forum", "change_forum"),
    ("forum", "delete_forum"),
    ("forum", "view_forum"),
    ("community_forum", "add_forumlanguage"),
    ("community_forum", "change_forumlanguage"),
    ("community_forum", "delete_forumlanguage"),
    ("community_forum", "view_forumlanguage"),
]


@transaction.atomic
def forum_permissions_sync():
    """Grant the forum permissions of every role and of anonymous visitors."""
    perms = {}
    for config in PermissionConfig.permissions:
        perms[config["codename"]], _ = ForumPermission.objects.get_or_create(
            codename=config["codename"]
        )

    for codename in READ:
        # Anyone, signed in or not, reads; unverified accounts only read.
        for flags in ({"anonymous_user": True}, {"authenticated_user": True}):
            UserForumPermission.objects.update_or_create(
                forum=None,
                user=None,
                permission=perms[codename],
                **flags,
                defaults={"has_perm": True},
            )

    for group_name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for codename in codenames:
            GroupForumPermission.objects.update_or_create(
                forum=None,
                group=group,
                permission=perms[codename],
                defaults={"has_perm": True},
            )

    for label in {label for label, _ in STAFF_MODEL_PERMISSIONS}:
        create_permissions(apps.get_app_config(label), verbosity=0)
    staff, _ = Group.objects.get_or_create(name=roles.STAFF)
    for app_label, codename in STAFF_MODEL_PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission:
            staff.permissions.add(permission)
