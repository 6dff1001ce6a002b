"""Date polls: the coordinator's list, new poll and matrix (send, remind, close, pick a
date); the invitee's answer page, reached through their personal link without an account.
The token leaves the address at once; the answer page acts only for the invitee whose link
this browser opened (or for that signed-in person)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from participation import personal_links
from participation.views.common import add_error_message, add_errors, require_coordinator

from .. import poll_editing, polls, selectors
from ..models import DatePoll, PollAnswer
from ..poll_forms import AnswerForm, DecideForm, PollEditForm, PollForm

ACTIONS = ("send", "remind", "close", "decide")


def _visible_polls(user):
    return DatePoll.objects.filter(series__in=selectors.visible_series(user)).select_related(
        "series__body", "chosen_slot"
    )


def _poll_for(user, pk, *, write=False):
    if write:
        require_coordinator(user)
    return selectors.get_or_404(_visible_polls(user), pk)


@login_required
def poll_list(request):
    require_coordinator(request.user)
    return render(
        request, "meetings/poll_list.html", {"polls": _visible_polls(request.user).order_by("-pk")}
    )


@login_required
def poll_create(request):
    require_coordinator(request.user)
    form = PollForm(request.POST or None, initial={"series": request.GET.get("series")})
    if request.method == "POST" and form.is_valid():
        poll = form.save(commit=False)
        try:
            polls.create_poll(poll, slots=form.cleaned_data["slots_text"], actor=request.user)
        except ValidationError as error:
            if hasattr(error, "error_dict") and "slots" in error.error_dict:
                form.add_error("slots_text", error.error_dict.pop("slots"))
            if not hasattr(error, "error_dict") or error.error_dict:
                add_errors(form, error)
        else:
            messages.success(request, _("Date poll “%(poll)s” saved.") % {"poll": poll})
            return redirect(poll)
    return render(
        request,
        "participation/form_page.html",
        {"form": form, "title": _("New date poll"), "back": None},
    )


@login_required
def poll_detail(request, pk):
    poll = _poll_for(request.user, pk, write=True)
    return render(
        request,
        "meetings/poll_detail.html",
        {
            "poll": poll,
            "matrix": polls.matrix(poll),
            "answer_labels": _answer_labels(),
            "reminder_day": polls.next_reminder_day(poll),
        },
    )


@login_required
def poll_edit(request, pk):
    poll = _poll_for(request.user, pk, write=True)
    title = poll.title
    try:
        poll_editing.check_editable(poll)
    except ValidationError as error:
        add_error_message(request, error)
        return redirect(poll)
    form = PollEditForm(request.POST or None, instance=poll)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = poll_editing.PollEdit(
            title=data["title"],
            description=data["description"],
            answer_by=data["answer_by"],
            change_answer_by=True,
            add_slots=data["add_slots_text"],
            remove_slot_ids=data["remove_slots"],
            add_people=list(data["add_people"]),
            remove_invitee_ids=data["remove_invitees"],
            confirm_removal=data["confirm_removal"],
        )
        try:
            outcome = poll_editing.edit_poll(poll, change, actor=request.user)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                if "add_slots" in error.error_dict:
                    form.add_error("add_slots_text", error.error_dict.pop("add_slots"))
                if "slots" in error.error_dict:
                    form.add_error("add_slots_text", error.error_dict.pop("slots"))
            if not hasattr(error, "error_dict") or error.error_dict:
                add_errors(form, error)
        else:
            messages.success(request, _edit_message(outcome))
            return redirect(poll)
    return render(
        request,
        "participation/form_page.html",
        {
            "form": form,
            "object": poll,
            "title": _("Change date poll “%(poll)s”") % {"poll": title},
            "submit_label": _("Save changes"),
        },
    )


def _edit_message(outcome):
    parts = [_("The date poll is changed.")]
    if outcome.removed_answers:
        parts.append(
            _("%(count)s answers to removed dates were deleted.")
            % {"count": outcome.removed_answers}
        )
    if outcome.told_new_dates:
        parts.append(
            _("%(count)s invitees who had answered were told about the new dates.")
            % {"count": outcome.told_new_dates}
        )
    if outcome.invited:
        parts.append(
            _("%(count)s new invitees got their personal link.") % {"count": outcome.invited}
        )
    return " ".join(parts)


@login_required
@require_POST
def poll_action(request, pk, action):
    poll = _poll_for(request.user, pk, write=True)
    if action not in ACTIONS:
        raise Http404
    try:
        if action == "send":
            count = polls.send_poll(poll, actor=request.user)
            messages.success(request, _("The poll went to %(count)s invitees.") % {"count": count})
        elif action == "remind":
            count = polls.remind(poll, actor=request.user)
            messages.success(
                request,
                _(
                    "%(count)s invitees who have not answered were reminded (each at most "
                    "once a day, the automatic reminder included)."
                )
                % {"count": count},
            )
        elif action == "close":
            polls.close(poll, actor=request.user)
            messages.success(request, _("The poll is closed; answers can no longer change."))
        elif action == "decide":
            form = DecideForm(request.POST)
            slot = poll.slots.filter(pk=form.data.get("slot") if form.is_valid() else None).first()
            if slot is None:
                raise ValidationError(_("Choose one of this poll's dates."))
            meeting = polls.decide(poll, slot, actor=request.user)
            messages.success(
                request,
                _("The date is chosen: %(slot)s. The invitations are on their way.")
                % {"slot": slot.label()},
            )
            return redirect(meeting)
    except ValidationError as error:
        add_error_message(request, error)
    return redirect(poll)


@never_cache
def poll_link(request, token):
    try:
        invitee = polls.invitee_for_token(request, token)
    except personal_links.RateLimited:
        return render(request, "participation/invitation/rate_limited.html", status=429)
    if invitee is None:
        return _unavailable(request)
    personal_links.remember_in_session(request, polls.SESSION_KEY, invitee.pk)
    return redirect("meetings:poll_answer", pk=invitee.pk)


@never_cache
def poll_answer(request, pk):
    invitee = polls.invitee_for_visitor(request, pk)
    if invitee is None:
        return _unavailable(request)
    with translation.override(_page_language(request, invitee)):
        return _answer_page(request, invitee)


def _page_language(request, invitee):
    """The invitee's language, unless the visitor chose one with the language switch."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in dict(settings.LANGUAGES) else invitee.language


def _answer_page(request, invitee):
    poll = invitee.poll
    slots = sorted(poll.slots.all(), key=lambda slot: slot.sort_key())
    form = AnswerForm(request.POST or None, slots=slots, initial_answers=polls.answers_of(invitee))
    if request.method == "POST" and form.is_valid():
        try:
            polls.answer(invitee, form.answers())
        except ValidationError as error:
            poll.refresh_from_db()
            if poll.status != poll.Status.OPEN:
                add_error_message(request, error)
                return redirect("meetings:poll_answer", pk=invitee.pk)
            add_errors(form, error)
        else:
            messages.success(request, _("Thank you: your answers are saved."))
            return redirect("meetings:poll_answer", pk=invitee.pk)
    return render(
        request,
        "meetings/poll_answer.html",
        {
            "invitee": invitee,
            "poll": poll,
            "form": form,
            "matrix": polls.matrix(poll),
            "answer_labels": _answer_labels(),
        },
    )


def _answer_labels():
    return dict(PollAnswer.choices)


def _unavailable(request):
    return render(request, "meetings/poll_unavailable.html", status=404)
