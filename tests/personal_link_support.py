"""Tampered personal-link tokens: the genuine token with one character changed, at the start,
in the middle and at the end. Every kind of personal link must refuse all three."""

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _replace(raw, index):
    # The next character of the token alphabet, so the tampered token is still well-formed.
    changed = ALPHABET[(ALPHABET.index(raw[index]) + 1) % len(ALPHABET)]
    return raw[:index] + changed + raw[index + 1 :]


def tampered(raw) -> dict[str, str]:
    """{"first": ..., "middle": ..., "last": ...}: the token with one character changed."""
    return {
        "first": _replace(raw, 0),
        "middle": _replace(raw, len(raw) // 2),
        "last": _replace(raw, len(raw) - 1),
    }
