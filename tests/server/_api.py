"""A thin httpx wrapper speaking the proxy's raw REST API (the wire is what is tested)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpx


class Api:
    """Raw REST calls against one proxy (no client library: the wire is what is tested)."""

    def __init__(self, url: str, *, error_key: str = "statusCode") -> None:
        self.url = url
        self.error_key = error_key
        self.http = httpx.Client(base_url=url, timeout=120)

    def close(self) -> None:
        self.http.close()

    def call(
        self,
        path: str,
        action: str,
        body: Any = None,
        *,
        params: dict[str, str] | None = None,
        content: bytes | None = None,
    ) -> httpx.Response:
        """POST ``/api/v1/paths/{path}/{action}`` (path sent verbatim, like the clients do)."""
        url = f"/api/v1/paths/{path}/{action}"
        if content is not None:
            return self.http.post(
                url, content=content, params=params, headers={"content-type": "application/json"}
            )
        if body is None:
            return self.http.post(url, params=params)
        return self.http.post(url, json=body, params=params)

    def ok(self, path: str, action: str, body: Any = None, **kw: Any) -> httpx.Response:
        r = self.call(path, action, body, **kw)
        assert r.status_code == 200, (r.status_code, r.text)
        return r

    def error(self, r: httpx.Response, status: str, message: str | None = None) -> str:
        """Assert the handled-error envelope; returns the message."""
        assert r.status_code == 500, (r.status_code, r.text)
        assert r.headers["content-type"].startswith("application/json")
        body = r.json()
        assert set(body) == {self.error_key, "message"}, body
        assert body[self.error_key] == status, body
        if message is not None:
            assert body["message"] == message
        text: str = body["message"]
        return text

    def mkdir(self, path: str, **opts: Any) -> None:
        r = self.ok(path, "create-directory", opts or None)
        assert r.content == b""

    def status(self, path: str) -> dict[str, Any]:
        info: dict[str, Any] = self.ok(path, "get-status").json()
        return info

    def stream(self, sid: int, action: str, **kw: Any) -> httpx.Response:
        return self.http.post(f"/api/v1/streams/{sid}/{action}", **kw)

    def create(self, path: str, opts: dict[str, Any] | None = None) -> int:
        sid: int = self.ok(path, "create-file", opts).json()
        return sid

    def put(
        self, path: str, data: bytes | Iterable[bytes], opts: dict[str, Any] | None = None
    ) -> int:
        """create-file, one write, close; returns the stream id used."""
        sid = self.create(path, opts)
        r = self.stream(sid, "write", content=data)
        assert r.status_code == 200, r.text
        if isinstance(data, bytes):
            assert r.json() == len(data)
        r = self.stream(sid, "close")
        assert r.status_code == 200 and r.content == b""
        return sid

    def get(self, path: str) -> bytes:
        """open-file, read, close."""
        sid: int = self.ok(path, "open-file").json()
        r = self.stream(sid, "read")
        assert r.status_code == 200, r.text
        assert r.headers["content-type"] == "application/octet-stream"
        data = r.content
        assert self.stream(sid, "close").status_code == 200
        return data

    def ls(self, path: str, **opts: Any) -> list[str]:
        return [i["name"] for i in self.ok(path, "list-status", opts or None).json()]
