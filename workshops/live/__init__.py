"""Live workshop sessions: activities run by a moderator, answered by participants over a
WebSocket (see docs/live-protocol.md)."""
