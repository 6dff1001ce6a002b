"""The join form: a code and a display name. Whether the code opens a session, and whether
the name is acceptable, is the join service's to say (workshops.live.services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import JOIN_CODE_LENGTH
from .services import MAX_DISPLAY_NAME_LENGTH


class JoinForm(forms.Form):
    code = forms.CharField(
        label=_("Join code"),
        # Room for spaces people type between the characters; the service strips them.
        max_length=JOIN_CODE_LENGTH + 6,
        help_text=_("The six characters shown by the moderator."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    display_name = forms.CharField(
        label=_("Your name"),
        required=False,
        help_text=_("Shown with your questions. Not needed if you were invited."),
        widget=forms.TextInput(
            attrs={"autocomplete": "nickname", "maxlength": MAX_DISPLAY_NAME_LENGTH}
        ),
    )
