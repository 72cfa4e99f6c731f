"""Plain HTTP to the published port on 127.0.0.1, redirects not followed."""

from __future__ import annotations

import http.client


def get(port: int, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body); (0, {}, b"") while nothing answers yet."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    except (ConnectionError, http.client.HTTPException, TimeoutError):
        return 0, {}, b""
    finally:
        connection.close()
