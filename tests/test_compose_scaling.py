"""docker-compose.yml scales out on the engines themselves (docs/scaling.md): the web
service can run as several replicas behind the proxy, migrations run once before them, beat
stays one, and only the proxy's forwarded client address is believed."""

import re

import yaml

from tests.processes import ROOT


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_web_replicas_publish_no_port_of_their_own():
    services = compose()["services"]
    # A published host port would let only one replica start under `--scale web=N`.
    assert "ports" not in services["web"]
    assert "ports" not in services["worker"]
    assert services["proxy"]["ports"] == ["127.0.0.1:${PORT:-8000}:8000"]


def test_migrations_run_once_before_any_web_process():
    services = compose()["services"]
    assert "migrate" not in " ".join(services["web"]["command"])
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    assert services["web"]["depends_on"]["migrate"] == {
        "condition": "service_completed_successfully"
    }


def test_only_the_proxys_address_is_trusted_for_the_client_address():
    document = compose()
    proxy_address = document["services"]["proxy"]["networks"]["default"]["ipv4_address"]
    app_env = document["x-app-env"]
    assert app_env["TRUSTED_PROXIES"] == proxy_address
    subnet = document["networks"]["default"]["ipam"]["config"][0]["subnet"]
    assert proxy_address.rsplit(".", 2)[0] == subnet.rsplit(".", 2)[0]


def test_the_proxy_spreads_connections_over_every_web_replica():
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text()
    assert re.search(r"dynamic a web 8000", caddyfile)
    assert "lb_policy least_conn" in caddyfile
    mount = compose()["services"]["proxy"]["volumes"][0]
    assert mount.startswith("./deploy/Caddyfile:")
