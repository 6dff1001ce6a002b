"""Every Django form field in KERN UX markup, for every app (settings.FORM_RENDERER).

Two places do it: the field template (`{{ field.as_field_group }}`, `{{ form }}` and the
shared include participation/includes/form.html) lays out label, hint, control and error as
KERN's form-input, form-check and fieldset components; and the renderer gives each widget
KERN's class as it is drawn, so a bare `{{ field }}` in any template is a KERN control too.
Django itself keeps `aria-invalid` and `aria-describedby` (hint and error ids) on the
control; the templates use the same ids.
"""

from django.forms.renderers import DjangoTemplates

WIDGETS = "django/forms/widgets/"
# Widgets whose control is an <input> or <textarea> drawn as KERN's text input.
TEXT_LIKE = {
    "text",
    "email",
    "password",
    "number",
    "url",
    "date",
    "datetime",
    "time",
    "tel",
    "search",
    "textarea",
    "file",
    "clearable_file_input",
}
# Widgets of several options, each a checkbox or radio button of its own.
OPTION_KINDS = {"radio": "radio", "checkbox_select": "checkbox"}


def _add_class(attrs, *names):
    classes = [attrs.get("class", "")] if attrs.get("class") else []
    attrs["class"] = " ".join([*classes, *names])


class KernFormRenderer(DjangoTemplates):
    form_template_name = "participation/forms/form.html"
    field_template_name = "participation/forms/field.html"

    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if widget is not None and template_name.startswith(WIDGETS):
            template_name = self._dress(template_name.removeprefix(WIDGETS), widget)
        return super().render(template_name, context, request=request)

    def _dress(self, name, widget):
        """Add KERN's classes to the widget's context; return the template to draw it."""
        kind = name.removesuffix(".html")
        attrs = widget["attrs"]  # a fresh dict per rendering (Widget.build_attrs)
        invalid = attrs.get("aria-invalid") == "true"
        if kind in TEXT_LIKE:
            _add_class(attrs, "kern-form-input__input")
            if invalid:
                _add_class(attrs, "kern-form-input__input--error")
        elif kind == "select" and not attrs.get("multiple"):
            _add_class(attrs, "kern-form-input__select")
            if invalid:
                _add_class(attrs, "kern-form-input__select--error")
            return "participation/forms/widgets/select.html"
        elif kind == "select":
            _add_class(attrs, "kern-form-input__input", "kern-form-input__input--multiple")
        elif kind == "checkbox":
            _add_class(attrs, "kern-form-check__checkbox")
            if invalid:
                _add_class(attrs, "kern-form-check__checkbox--error")
        elif kind in OPTION_KINDS:
            control = f"kern-form-check__{OPTION_KINDS[kind]}"
            for _group, options, _index in widget["optgroups"]:
                for option in options:
                    _add_class(option["attrs"], control)
                    if invalid:
                        _add_class(option["attrs"], f"{control}--error")
            return "participation/forms/widgets/options.html"
        return WIDGETS + name
