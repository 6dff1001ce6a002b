"""Oversized request bodies are refused by the real server (uvicorn, config.asgi) before they
are read: from the Content-Length at once, and a chunked body as soon as it passes the
limit. Nothing reaches the server's temporary directory; uploads may be larger than forms."""

import json
import os
import socket
import time
from pathlib import Path

import pytest

from tests.live_support import LiveServer, server_env

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

MB = 1024 * 1024


@pytest.fixture(scope="module")
def server_tmp(tmp_path_factory):
    return tmp_path_factory.mktemp("server-tmp")


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker, server_tmp):
    env = server_env()
    env["TMPDIR"] = str(server_tmp)
    started = LiveServer(env)
    try:
        yield started.wait_ready()
    finally:
        started.stop()


def send_head(server, path, **headers):
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    lines = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{server.port}"]
    lines += [f"{name.replace('_', '-')}: {value}" for name, value in headers.items()]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    return sock


def read_response(sock, timeout=10):
    """Status, headers and body of the answer; (None, …) when none came in time."""
    sock.settimeout(timeout)
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except (TimeoutError, ConnectionResetError):
        pass
    finally:
        sock.close()
    head, _, body = data.partition(b"\r\n\r\n")
    if not head:
        return None, {}, b""
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in header_lines)
    return int(status_line.split()[1]), {k.lower(): v for k, v in headers.items()}, body


def spooled_files(server, directory):
    """Files the server process holds open in its temporary directory (deleted or not)."""
    found = []
    fds = Path(f"/proc/{server.process.pid}/fd")
    for fd in fds.iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(str(directory)):
            found.append((target, fd.stat().st_size))
    return found


def test_a_huge_declared_body_is_refused_before_it_is_sent(server):
    # As in the report: 120 MiB to /healthz. Not a byte of the body is sent, and the answer
    # comes anyway: the server did not wait to read it.
    sock = send_head(
        server,
        "/healthz",
        Content_Type="application/x-www-form-urlencoded",
        Content_Length=120 * MB,
    )
    status, headers, body = read_response(sock)
    assert status == 413
    assert headers["connection"] == "close"
    assert body.decode() == (
        "Die Anfrage ist zu groß. Es können höchstens 3,0\xa0MB auf einmal gesendet werden.\n"
    )


def test_the_refusal_speaks_the_language_asked_for_and_json_to_the_api(server):
    sock = send_head(
        server,
        "/api/v1/me/",
        Content_Type="application/json",
        Content_Length=10 * MB,
        Accept_Language="en",
    )
    status, headers, body = read_response(sock)
    assert status == 413
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == {
        "detail": "The request is too large. At most 3.0\xa0MB can be sent at once."
    }


def test_a_chunked_body_is_cut_off_at_the_limit_and_never_reaches_the_disk(server, server_tmp):
    sock = send_head(
        server,
        "/healthz",
        Content_Type="application/x-www-form-urlencoded",
        Transfer_Encoding="chunked",
        Accept_Language="en",
    )
    chunk = b"a" * (64 * 1024)
    sent = 0
    try:
        # Past the 3 MiB limit and past the point where Django would spool to disk; the
        # closing empty chunk is never sent.
        while sent < 4 * MB:
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server answered and closed the connection: it reads no more
    time.sleep(0.5)
    assert spooled_files(server, server_tmp) == []
    status, _, body = read_response(sock)
    assert status == 413
    assert body.startswith(b"The request is too large.")


def test_uploads_may_be_larger_than_forms_up_to_their_own_limit(server, server_tmp):
    # 10 MiB to the import of people (a view that takes files) is read: the answer is the
    # refusal of a request without a CSRF token, not one of its size.
    body = (
        b'--x\r\nContent-Disposition: form-data; name="file"; filename="people.csv"\r\n'
        b"Content-Type: text/csv\r\n\r\n" + b"a;b\r\n" * (2 * MB) + b"\r\n--x--\r\n"
    )
    sock = send_head(
        server,
        "/people/import/",
        Content_Type="multipart/form-data; boundary=x",
        Content_Length=len(body),
    )
    sock.sendall(body)
    status, _, _ = read_response(sock)
    assert status == 403

    # Over the largest upload (50 MB plus the form around it): refused unread.
    sock = send_head(
        server,
        "/people/import/",
        Content_Type="multipart/form-data; boundary=x",
        Content_Length=60 * MB,
        Accept_Language="en",
    )
    status, _, body = read_response(sock)
    assert status == 413
    assert "At most 53.0\xa0MB".encode() in body
