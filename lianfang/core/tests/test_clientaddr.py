from lianfang.core.clientaddr import address_from, parse_networks

PROXIES = parse_networks("10.0.0.0/24, 192.168.1.5, fd00::/8")


def test_direct_client_is_its_remote_addr():
    assert address_from({"REMOTE_ADDR": "203.0.113.7"}, PROXIES) == "203.0.113.7"


def test_behind_the_trusted_proxy_the_forwarded_address_is_the_client():
    meta = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    assert address_from(meta, PROXIES) == "203.0.113.7"


def test_a_client_spoofing_x_forwarded_for_keeps_its_own_address():
    meta = {"REMOTE_ADDR": "203.0.113.7", "HTTP_X_FORWARDED_FOR": "198.51.100.1"}
    assert address_from(meta, PROXIES) == "203.0.113.7"


def test_the_right_most_untrusted_hop_wins_over_what_the_client_prepended():
    # The client sent "X-Forwarded-For: 198.51.100.1"; nginx appended the address it saw.
    meta = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.1, 203.0.113.7"}
    assert address_from(meta, PROXIES) == "203.0.113.7"


def test_a_chain_of_trusted_proxies_is_walked_through():
    meta = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.7, 192.168.1.5"}
    assert address_from(meta, PROXIES) == "203.0.113.7"


def test_garbage_in_the_header_falls_back_to_the_last_trusted_hop():
    meta = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "<script>"}
    assert address_from(meta, PROXIES) == "10.0.0.2"


def test_ipv6_and_ports_as_proxies_write_them():
    assert (
        address_from(
            {"REMOTE_ADDR": "fd00::1", "HTTP_X_FORWARDED_FOR": "[2001:db8::9]:4711"}, PROXIES
        )
        == "2001:db8::9"
    )
    assert (
        address_from({"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.7:80"}, PROXIES)
        == "203.0.113.7"
    )


def test_without_configured_proxies_nothing_is_forwarded(settings):
    settings.LIANFANG_TRUSTED_PROXIES = ()
    meta = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    assert address_from(meta) == "10.0.0.2"


def test_the_setting_is_read_from_the_environment(monkeypatch):
    from config.env import Env

    monkeypatch.setenv("LIANFANG_TRUSTED_PROXIES", "127.0.0.1,10.1.0.0/16")
    assert [str(n) for n in parse_networks(Env().trusted_proxies)] == [
        "127.0.0.1/32",
        "10.1.0.0/16",
    ]
