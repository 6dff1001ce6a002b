"""Reading a section's inputs from a posted form: `q-<key>-position`, `q-<key>-comment`,
`q-<key>-wording` (the naming rule of `participation.kept_input`)."""

from .services import ANSWER_PARTS


def raw_from_post(section, data) -> dict:
    return {part: data.get(f"q-{section.key}-{part}", "") for part in ANSWER_PARTS}
