from channels.generic.websocket import JsonWebsocketConsumer


class PingConsumer(JsonWebsocketConsumer):
    """Answers `{"type": "ping"}` with `{"type": "pong"}`: proves the WebSocket path end to end."""

    def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "ping":
            self.send_json({"type": "pong", "authenticated": self.scope["user"].is_authenticated})
        else:
            self.send_json({"type": "error", "detail": "unknown message"})
