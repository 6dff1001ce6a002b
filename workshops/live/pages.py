"""What the live session's pages need beside the socket: the join address and its QR code,
and the translated texts the live script shows (it has no catalogue of its own)."""

from urllib.parse import urlencode

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .models import ActivityKind, LiveSession


def get_live_session_or_none(workshop) -> LiveSession | None:
    return LiveSession.objects.filter(workshop=workshop).first()


def join_url(live_session) -> str:
    """The short address people type or scan, with the code filled in. On SITE_URL, as
    every link in mail: the projector shows the public address, never the host name the
    request named (an internal one, or one a forged Host header gave)."""
    query = urlencode({"code": live_session.join_code})
    return f"{settings.SITE_URL}{reverse('live:join')}?{query}"


def qr_svg(url: str) -> str:
    """The QR code of `url` as inline SVG (no script, no style attribute: the CSP holds).
    Only our own URL goes in, so the markup is safe to emit as it is."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(
        scale=8, border=4, svgclass="live-qr", lineclass=None, title=_("QR code: %s") % url
    )
    return mark_safe(svg)  # noqa: S308 (segno escapes the title; the rest is paths)


def socket_path(workshop, *, projector=False) -> str:
    path = f"/ws/workshops/{workshop.pk}/live/"
    return f"{path}?view=projector" if projector else path


def client_labels() -> dict:
    """Every text the live script puts on the screen, in the request's language."""
    return {
        "kinds": {choice.value: str(choice.label) for choice in ActivityKind},
        "status": {"draft": _("Draft"), "open": _("Open"), "closed": _("Closed")},
        "session_open": _("The session is open."),
        "session_ended": _("The session has ended."),
        "connecting": _("Connecting …"),
        "connected": _("Connected."),
        "reconnecting": _("Connection lost. Reconnecting in %(seconds)s seconds …"),
        "closed_4401": _(
            "You have no access to this session. Join with the code or your personal link."
        ),
        "closed_4403": _("You have been removed from this session."),
        "closed_4404": _("There is no open live session for this workshop yet. Reload later."),
        "closed_4410": _("The session has ended. Thank you for taking part!"),
        "error": _("That did not work."),
        "nothing_yet": _("Nothing is open at the moment. Please wait for the moderator."),
        "no_activities": _("No activities yet."),
        "results": _("Results"),
        "results_hidden": _("The results are shown once the moderator reveals them."),
        # participants
        "card_text": _("Your card"),
        "category": _("Category"),
        "add_card": _("Add card"),
        "your_cards": _("Your cards"),
        "all_cards": _("All cards"),
        "unclustered": _("Not in a cluster"),
        "dots_left": _("%(left)s of %(total)s dots left"),
        "dots_rule": _("Spread %(total)s dots, at most %(max)s per option."),
        "add_dot": _("One dot more for “%(option)s”"),
        "remove_dot": _("One dot less for “%(option)s”"),
        "answer": _("Send answer"),
        "withdraw": _("Withdraw answer"),
        "your_answer": _("Your answer: %(answer)s"),
        "choose_one": _("Choose one option."),
        "choose_many": _("Choose one or more options."),
        "question_text": _("Your question"),
        "ask_anonymously": _("Ask without my name"),
        "ask": _("Ask"),
        "upvote": _("Me too"),
        "upvoted": _("You support this question"),
        "own_question": _("Your question"),
        "anonymous": _("anonymous"),
        "answered": _("answered"),
        "pinned": _("pinned"),
        "vote_one": _("1 vote"),
        "votes": _("%(count)s votes"),
        "mood_scale": _("How are you? (1 = bad, 5 = very good)"),
        "mood_word": _("One word for your mood"),
        "send": _("Send"),
        "your_value": _("Your entry: %(value)s"),
        "respondents": _("%(count)s answered"),
        "voters": _("%(count)s voted"),
        "option": _("Option"),
        "number": _("Number"),
        # moderator
        # Buttons: "Open" the activity, not its status "Open" (German tells them apart).
        "open": pgettext("activity action", "Open"),
        "close": pgettext("activity action", "Close"),
        "reveal": _("Show results"),
        "unreveal": _("Hide results"),
        "move_up": _("Move up"),
        "move_down": _("Move down"),
        "delete": _("Delete"),
        "hide": _("Hide"),
        "show": _("Show again"),
        "hidden": _("hidden"),
        "select_card": _("Select “%(text)s”"),
        "move_to_cluster": _("Cluster of “%(text)s”"),
        "no_cluster": _("— no cluster —"),
        "new_cluster": _("New cluster from selected cards"),
        "cluster_title": _("Title of the new cluster"),
        "rename": _("Rename"),
        "cluster_name": _("Name of cluster “%(title)s”"),
        "activity_title": _("Title of “%(title)s”"),
        "settings_of": _("Settings of “%(title)s”"),
        "save_settings": _("Save settings"),
        "delete_cluster": _("Delete cluster"),
        "drop_hint": _(
            "Drag a card onto a cluster to move it, or onto another card to make a new cluster."
        ),
        "mark_answered": _("Mark answered"),
        "mark_unanswered": _("Mark not answered"),
        "pin": _("Pin"),
        "unpin": _("Unpin"),
        "participant_one": _("1 participant"),
        "participants": _("%(count)s participants"),
        "remove": _("Remove"),
        "removed": pgettext("participant state", "removed"),
        "confirm_remove": _("Remove %(name)s from the session?"),
        "confirm_end": _("End the session for everyone?"),
        "confirm_delete": _("Delete this draft?"),
        "end_session": _("End session"),
        "reopen_session": _("Reopen session"),
        "clusters_of": _("clusters of “%(title)s”"),
        "created": _("Activity created."),
        "updated_results": _("Results of “%(title)s” updated."),
        "new_activity_open": _("Now open: %(title)s"),
        "activity_closed": _("Closed: %(title)s"),
        "saved": _("Saved."),
        "new_card": _("New card: %(text)s"),
        "new_question": _("New question: %(text)s"),
        "waiting": _("Waiting for the next activity …"),
    }
