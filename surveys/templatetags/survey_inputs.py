"""`{% answer_input question value %}`: the inputs of one question (see `surveys.inputs`)."""

from django import template
from django.utils.translation import gettext as _

from surveys.answer_types import display_value
from surveys.inputs import input_context, refresh_context

register = template.Library()


@register.simple_tag(takes_context=True)
def answer_input(context, question, value, disabled=False, error="", autofocus=False):
    """Render `surveys/inputs/<kind>.html` for `question` showing `value` (stored or raw).

    `disabled=True` for read-only pages; `error` (the message the caller shows in the element
    with id "q-<key>-error") marks the inputs invalid; `autofocus` focuses the first input. A
    `response` in the context links a stored file to its download.
    """
    values = input_context(
        question,
        value,
        disabled=disabled,
        error=error,
        autofocus=autofocus,
        response=context.get("response"),
    )
    # As an inclusion tag does: a new context of the same kind, with only these values.
    inputs = context.template.engine.get_template(f"surveys/inputs/{question.kind}.html")
    return inputs.render(context.new(values))


@register.simple_tag(takes_context=True)
def answer_refresh(context, question, value, data):
    """Out-of-band updates of the inputs of `question` after an autosave that left them in
    place: what `surveys.inputs.refresh_context` says follows the stored `value`, given the
    posted `data`."""
    values = refresh_context(question, value, data)
    refresh = context.template.engine.get_template("surveys/inputs/_refresh.html")
    return refresh.render(context.new(values))


@register.simple_tag
def condition_text(condition, questions):
    """A question's condition as people read it: the question it depends on and the answer
    as the respondent sees it (“Ja”, not True). `questions` maps keys to questions."""
    source = questions.get(condition["question"])
    if source is None:
        return condition["question"]
    answer = display_value(source, condition["equals"]) or str(condition["equals"])
    return _("if “%(question)s” is answered “%(answer)s”") % {
        "question": source.text,
        "answer": answer,
    }
