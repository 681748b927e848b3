"""Which addresses a fetch may reach: a link found in fetched content (a feed entry's link, a
redirect, a URL list served by a site) must not lead kg to loopback, link-local or private
addresses, where it would read (and then publish) what only this machine or its network
should see.

The check is made where the connection is made (`GuardedHTTPConnection`): the host is
resolved, every address it resolves to is checked, and the socket connects to a checked
address, so a name that resolves to a public address for the check and to 127.0.0.1 for the
connection (DNS rebinding) gains nothing.
"""
from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util import connection

PRIVATE_HINT = "private addresses are fetched only with --allow-private, or FetchPolicy(allow_private=True)"


class AddressRefused(Exception):
    """A link leads to an address that is not public; the message says which and why."""


def kind_of(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """What makes an address off limits ("a loopback address", ...), or None for a public one."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if address.is_unspecified:
        return "an unspecified address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_private:
        return "a private address"
    if not address.is_global:
        return "a reserved address"
    return None


def literal_kind(url: str) -> str | None:
    """Without resolving anything: what makes the host of `url` off limits when it is an
    address written out, or `localhost` (for links kg keeps but does not fetch)."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return "a loopback address"
    try:
        return kind_of(ipaddress.ip_address(host))
    except ValueError:
        return None


def public_addresses(host: str, port: int) -> list[tuple]:
    """The addresses `host` resolves to (getaddrinfo entries), all of them public; raises
    AddressRefused naming the first that is not."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    for entry in found:
        kind = kind_of(ipaddress.ip_address(entry[4][0].partition("%")[0]))
        if kind:
            shown = host if host == entry[4][0] else f"{host} ({entry[4][0]})"
            raise AddressRefused(f"not fetched: {shown} is {kind}; {PRIVATE_HINT}")
    return found


class _Guarded:
    """A connection that resolves its host, refuses it unless every address is public, and
    connects to one of the addresses it checked."""

    host: str
    port: int
    timeout: float | None
    source_address: tuple[str, int] | None
    socket_options: list | None
    _dns_host: str

    def _new_conn(self) -> socket.socket:
        try:
            entries = public_addresses(self._dns_host, self.port)
        except socket.gaierror as err:
            raise NameResolutionError(self.host, self, err) from err
        last: OSError | None = None
        for entry in entries:
            try:
                return connection.create_connection((entry[4][0], self.port), self.timeout,
                                                    source_address=self.source_address,
                                                    socket_options=self.socket_options)
            except TimeoutError as err:
                raise ConnectTimeoutError(self, f"Connection to {self.host} timed out") from err
            except OSError as err:
                last = err
        raise NewConnectionError(self, f"Failed to establish a new connection: {last}")


class GuardedHTTPConnection(_Guarded, HTTPConnection):
    pass


class GuardedHTTPSConnection(_Guarded, HTTPSConnection):  # TLS still checks the host's name
    pass


class _GuardedHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class _GuardedHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


def guarded_pool_manager(**options) -> urllib3.PoolManager:
    """A PoolManager whose connections reach public addresses only."""
    manager = urllib3.PoolManager(**options)
    manager.pool_classes_by_scheme = {"http": _GuardedHTTPPool, "https": _GuardedHTTPSPool}
    return manager
