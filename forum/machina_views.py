"""Machina's views with Entraide's rules on top.

`forum/urls.py` mounts them at machina's own paths (our patterns are matched
first), so machina's URL names keep working and point at these views.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import RedirectView
from machina.apps.forum.models import Forum
from machina.apps.forum.views import ForumView as MachinaForumView
from machina.apps.forum.views import IndexView as MachinaIndexView
from machina.apps.forum.visibility import ForumVisibilityContentTree
from machina.apps.forum_conversation.views import (
    PostCreateView as MachinaPostCreateView,
)
from machina.apps.forum_conversation.views import (
    PostDeleteView as MachinaPostDeleteView,
)
from machina.apps.forum_conversation.views import (
    TopicCreateView as MachinaTopicCreateView,
)
from machina.apps.forum_conversation.views import TopicView as MachinaTopicView
from machina.apps.forum_member.views import (
    ForumProfileDetailView as MachinaForumProfileDetailView,
)
from machina.apps.forum_member.views import UserPostsView as MachinaUserPostsView
from machina.apps.forum_moderation.views import (
    PostApproveView as MachinaPostApproveView,
)
from machina.apps.forum_moderation.views import (
    PostDisapproveView as MachinaPostDisapproveView,
)
from machina.apps.forum_moderation.views import (
    TopicDeleteView as MachinaTopicDeleteView,
)

from accounts.roles import has_verified_email
from accounts.selectors import user_public_name, with_profiles
from config.ratelimit import form_rate_limited, rate_limited_response
from forum import conf, selectors, services
from forum.models import ModerationLog
from search.services import search

HONEYPOT_FIELD = "website"
FORUM_CHOICE_FIELD = "entraide_forum"
RATE_PERIOD = 600


def refused(request, message, status):
    return render(
        request, "community_forum/refused.html", {"message": message}, status=status
    )


class IndexView(MachinaIndexView):
    """The forums of the reader's language (and those tied to no language)."""

    def get_queryset(self):
        allowed = selectors.forum_ids_for_language(get_language())
        forums = self.request.forum_permission_handler.forum_list_filter(
            Forum.objects.filter(pk__in=allowed), self.request.user
        )
        return ForumVisibilityContentTree.from_forums(forums)


class ForumView(MachinaForumView):
    """A forum's topics, filterable by ``?status=solved|unsolved``."""

    def get_status(self):
        status = self.request.GET.get("status", "")
        return status if status in ("solved", "unsolved") else ""

    def get_queryset(self):
        qs = with_profiles(selectors.with_solved(super().get_queryset()), "poster")
        status = self.get_status()
        if status == "solved":
            qs = qs.filter(is_solved=True)
        elif status == "unsolved":
            qs = qs.filter(is_solved=False)
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["status"] = self.get_status()
        # machina builds the announcements as a list: their authors' profiles in
        # one query, not one per row.
        prefetch_related_objects(context["announces"], "poster__profile")
        return context


class TopicView(MachinaTopicView):
    def get_queryset(self):
        return with_profiles(super().get_queryset(), "poster")

    def get_topic(self):
        topic = super().get_topic()
        # A topic waiting for approval exists only for the moderators.
        if (
            not topic.approved
            and not self.request.forum_permission_handler.can_approve_posts(
                topic.forum, self.request.user
            )
        ):
            raise Http404
        return topic

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        topic = context["topic"]
        user = self.request.user
        context["solution"] = selectors.topic_solution(topic)
        context["kb_article"] = selectors.topic_kb_article(topic)
        context["promotion"] = selectors.topic_promotion(topic)
        context["can_mark_solution"] = services.can_mark_solution(user, topic)
        context["can_moderate"] = services.can_moderate(user)
        context["can_report"] = user.is_authenticated and has_verified_email(user)
        return context


class _WriteGuardMixin:
    """Verified e-mail, honeypot and rate limits on machina's write views."""

    rate_scope = ""

    def rate_limit(self):
        return conf.topics_per_10_min()

    def rate_message(self):
        return _("You are posting too fast. Please wait a few minutes and try again.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_verified_email(request.user):
            return refused(
                request, _("Please confirm your e-mail address before posting."), 403
            )
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if request.POST.get(HONEYPOT_FIELD):
            return refused(request, _("Your message could not be accepted."), 400)
        return super().post(request, *args, **kwargs)

    def form_valid(self, post_form, *args, **kwargs):
        # Checked on a valid, non-preview post so a refusal shows the form again
        # with the text typed (machina's form_invalid), not a bare 429 page.
        if not self.preview and form_rate_limited(
            self.request,
            post_form,
            scope=self.rate_scope,
            limit=self.rate_limit(),
            period=RATE_PERIOD,
            message=self.rate_message(),
        ):
            return rate_limited_response(
                self.form_invalid(post_form, *args, **kwargs), RATE_PERIOD
            )
        response = super().form_valid(post_form, *args, **kwargs)
        post = getattr(self, "forum_post", None)
        if post is not None and not post.approved:
            # machina says both "posted successfully" and "will be validated":
            # keep only the one that tells what happens next.
            storage = messages.get_messages(self.request)
            for message in list(storage):
                if str(message.message) != str(self.success_message):
                    messages.add_message(
                        self.request,
                        message.level,
                        message.message,
                        extra_tags=message.extra_tags,
                    )
        return response


class TopicCreateView(_WriteGuardMixin, MachinaTopicCreateView):
    """A new question, in the category (forum) the asker picks on the form."""

    rate_scope = "forum-topic"
    approval_required_message = _(
        "Thank you! Your question will appear on the forum once a moderator has "
        "approved it (the first messages of new members are checked)."
    )

    def category_choices(self):
        """Forums of the reader's language this user may open a topic in."""
        allowed = selectors.forum_ids_for_language(get_language())
        handler = self.request.forum_permission_handler
        return [
            forum
            for forum in Forum.objects.filter(
                pk__in=allowed, type=Forum.FORUM_POST
            ).order_by("tree_id", "lft")
            if handler.can_add_topic(forum, self.request.user)
        ]

    def get_forum(self):
        if not hasattr(self, "_forum") and self.request.method == "POST":
            chosen = self.request.POST.get(FORUM_CHOICE_FIELD, "")
            # A forum id, not any digits a client sends (huge numbers overflow).
            if chosen.isascii() and chosen.isdigit() and len(chosen) <= 9:
                allowed = selectors.forum_ids_for_language(get_language())
                if int(chosen) in allowed:
                    forum = Forum.objects.filter(
                        pk=int(chosen), type=Forum.FORUM_POST
                    ).first()
                    if forum is not None:
                        # machina then checks the right to start a topic there.
                        self._forum = forum
        return super().get_forum()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["category_choices"] = self.category_choices()
        context["category_field"] = FORUM_CHOICE_FIELD
        subject = self.request.GET.get("subject", "").strip()[:200]
        if self.request.method == "GET" and len(subject) >= 3:
            # Without JavaScript, the prefilled title still gets its answers.
            context["ask_suggestions"] = suggested_answers(subject, get_language())
        return context

    def rate_message(self):
        return _(
            "You have opened too many topics in a short time. Please wait "
            "ten minutes before opening another one."
        )

    def get_post_form_kwargs(self):
        kwargs = super().get_post_form_kwargs()
        if self.request.method == "GET":
            # Prefill from `community_forum:ask` (?subject=&body=).
            kwargs["initial"] = {
                "subject": self.request.GET.get("subject", "")[:255],
                "content": self.request.GET.get("body", "")[:5000],
            }
        return kwargs


class PostCreateView(_WriteGuardMixin, MachinaPostCreateView):
    rate_scope = "forum-reply"

    def rate_limit(self):
        return conf.replies_per_10_min()

    def rate_message(self):
        return _(
            "You have posted too many replies in a short time. Please wait "
            "ten minutes before replying again."
        )


class PostApproveView(MachinaPostApproveView):
    def approve(self, request, *args, **kwargs):
        self.object = self.get_object()
        services.post_approve(post=self.object, moderator=request.user)
        messages.success(request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())


class PostDisapproveView(MachinaPostDisapproveView):
    def disapprove(self, request, *args, **kwargs):
        self.object = self.get_object()
        success_url = self.get_success_url()
        services.post_remove(
            post=self.object,
            moderator=request.user,
            action=ModerationLog.Action.DISAPPROVED,
        )
        messages.success(request, self.success_message)
        return HttpResponseRedirect(success_url)


class PostDeleteView(MachinaPostDeleteView):
    def form_valid(self, form):
        if self.object.is_topic_head:
            # Removing the question removes the topic: go back to its forum.
            forum = self.object.topic.forum
            messages.success(self.request, self.success_message)
            success_url = reverse(
                "forum:forum", kwargs={"slug": forum.slug, "pk": forum.pk}
            )
        else:
            success_url = self.get_success_url()
        services.post_remove(
            post=self.object,
            moderator=self.request.user,
            action=ModerationLog.Action.DELETED_POST,
        )
        return HttpResponseRedirect(success_url)


class TopicDeleteView(MachinaTopicDeleteView):
    def form_valid(self, form):
        success_url = self.get_success_url()
        topic = self.object
        services.moderation_log_record(
            action=ModerationLog.Action.DELETED_TOPIC,
            actor=self.request.user,
            post=topic.first_post,
            topic=topic,
        )
        topic.delete()
        return HttpResponseRedirect(success_url)


class SearchRedirectView(RedirectView):
    """Machina's own search is replaced by the site search, filtered to topics."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        query = self.request.GET.get("q", "").strip()
        params = {"kind": "topic"}
        if query:
            params["q"] = query
        return f"{reverse('search:search')}?{urlencode(params)}"


def moderation_queue_redirect(request):
    return redirect("community_forum:moderation")


def suggested_answers(text, lang, limit=5):
    """Articles and solved topics that may already answer a new question."""
    response = search(text, lang=lang, limit=limit * 2)
    hits = [hit for hit in response.results if hit.kind == "article" or hit.solved]
    return hits[:limit]


class _MemberPageMixin:
    """Member pages exist only for people who posted, under their public name."""

    def member(self):
        if not hasattr(self, "_member"):
            self._member = selectors.member_page_owner(
                self.kwargs.get("pk"), self.request.user
            )
            if self._member is None:
                raise Http404
        return self._member

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["public_name"] = user_public_name(self.member())
        return context


class MemberProfileView(_MemberPageMixin, MachinaForumProfileDetailView):
    def get_queryset(self):
        return get_user_model().objects.filter(pk=self.member().pk)


class MemberPostsView(_MemberPageMixin, MachinaUserPostsView):
    @property
    def poster(self):
        return self.member()

    def get_queryset(self):
        return with_profiles(super().get_queryset(), "poster")
