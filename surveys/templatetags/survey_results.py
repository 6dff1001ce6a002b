"""Links to published results: `{% results_readable survey as readable %}` asks the rule
itself (one query); the `took_part` filter answers from responses a page already holds."""

from django import template

from surveys import results
from surveys.models import Response

register = template.Library()


@register.simple_tag(takes_context=True)
def results_readable(context, survey):
    """Whether the signed-in user may read the survey's results (`results`' rule)."""
    return results.can_read_results(context["request"].user, survey)


@register.filter
def took_part(responses):
    """Whether one of these responses (the user's own organisations') is submitted. Only
    decides whether a list shows a link; the results page applies the rule itself."""
    return any(response.status == Response.Status.SUBMITTED for response in responses)
