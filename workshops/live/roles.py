"""Who is at the other end of a live socket: the role decides which messages it may send
(protocol.py), what it is shown (selectors.py) and how fast it may send (protocol.RATES)."""

MODERATOR, PARTICIPANT, PROJECTOR = "moderator", "participant", "projector"
