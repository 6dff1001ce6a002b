"""A counting SMTP server for the benchmarks: it accepts every message and notes, per message
and recipient, one line `<recipient>\\t<Message-ID>`, so that a driver can tell how many
arrived, to how many distinct recipients, and whether any came twice.

    .venv/bin/python bench/smtp_sink.py --port 2525 --log /tmp/sink.log

Run as a script it serves in a process of its own (the driver and the sink then do not share
one interpreter lock) and appends to the log file; `bench/invitations.py` starts it that way
and reads the file. `ThreadSink` runs the same handler in a thread of the caller instead."""

import argparse
import asyncio
import threading
from email.parser import BytesHeaderParser
from email.policy import compat32

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

_headers = BytesHeaderParser(policy=compat32)


class CountingHandler:
    """Calls `note(recipient, message_id)` for each recipient of each accepted message."""

    def __init__(self, note):
        self.note = note

    async def handle_DATA(self, server, session, envelope):
        message_id = _headers.parsebytes(envelope.content).get("Message-ID", "")
        for recipient in envelope.rcpt_tos:
            self.note(recipient, message_id.strip())
        return "250 OK"


class ThreadSink:
    """The handler in a thread of this process; `records` is the list of (recipient,
    Message-ID) noted so far."""

    def __init__(self, port):
        self.records = []
        self._lock = threading.Lock()
        self.controller = Controller(CountingHandler(self._note), hostname="127.0.0.1", port=port)

    def _note(self, recipient, message_id):
        with self._lock:
            self.records.append((recipient, message_id))

    def start(self):
        self.controller.start()

    def read(self):
        """Nothing to do: `records` is filled as messages arrive."""

    def stop(self):
        self.controller.stop()


async def serve(port, log):
    def note(recipient, message_id):
        log.write(f"{recipient}\t{message_id}\n")

    handler = CountingHandler(note)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(handler), "127.0.0.1", port)
    async with server:
        await server.serve_forever()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", required=True, help="file to append one line per message to")
    args = parser.parse_args()
    # Line-buffered: every message is in the file as soon as it is accepted.
    with open(args.log, "a", buffering=1, encoding="utf-8") as log:
        asyncio.run(serve(args.port, log))


if __name__ == "__main__":
    main()
