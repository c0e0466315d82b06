from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...types import File, Response


def _get_kwargs(
    path: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/paths/{path}/download-file".format(
            path="/".join(
                "%2E" * len(s) if s in (".", "..") else s
                for s in quote(str(path), safe="/").split("/")
            ),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> File | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.content))

        return response_200

    if response.status_code == 500:
        response_500 = File(payload=BytesIO(response.content))

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[File]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    path: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[File]:
    """Download a whole file (2.x only).

     Streams the whole content of the file at `path` as `application/octet-stream`, with a
    `Content-Disposition: attachment; filename=<last path component>` header. Only served by
    Alluxio 2.x proxies (a 1.x proxy answers 404). No request body. Any failure (missing
    file, a directory) gives HTTP 500 with the text body `HTTP 500 Internal Server Error`.

    `curl -o a.txt 'http://localhost:39999/api/v1/paths//data/a.txt/download-file'`

    Args:
        path (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File]
    """

    kwargs = _get_kwargs(
        path=path,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    path: str,
    *,
    client: AuthenticatedClient | Client,
) -> File | None:
    """Download a whole file (2.x only).

     Streams the whole content of the file at `path` as `application/octet-stream`, with a
    `Content-Disposition: attachment; filename=<last path component>` header. Only served by
    Alluxio 2.x proxies (a 1.x proxy answers 404). No request body. Any failure (missing
    file, a directory) gives HTTP 500 with the text body `HTTP 500 Internal Server Error`.

    `curl -o a.txt 'http://localhost:39999/api/v1/paths//data/a.txt/download-file'`

    Args:
        path (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File
    """

    return sync_detailed(
        path=path,
        client=client,
    ).parsed


async def asyncio_detailed(
    path: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[File]:
    """Download a whole file (2.x only).

     Streams the whole content of the file at `path` as `application/octet-stream`, with a
    `Content-Disposition: attachment; filename=<last path component>` header. Only served by
    Alluxio 2.x proxies (a 1.x proxy answers 404). No request body. Any failure (missing
    file, a directory) gives HTTP 500 with the text body `HTTP 500 Internal Server Error`.

    `curl -o a.txt 'http://localhost:39999/api/v1/paths//data/a.txt/download-file'`

    Args:
        path (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File]
    """

    kwargs = _get_kwargs(
        path=path,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    path: str,
    *,
    client: AuthenticatedClient | Client,
) -> File | None:
    """Download a whole file (2.x only).

     Streams the whole content of the file at `path` as `application/octet-stream`, with a
    `Content-Disposition: attachment; filename=<last path component>` header. Only served by
    Alluxio 2.x proxies (a 1.x proxy answers 404). No request body. Any failure (missing
    file, a directory) gives HTTP 500 with the text body `HTTP 500 Internal Server Error`.

    `curl -o a.txt 'http://localhost:39999/api/v1/paths//data/a.txt/download-file'`

    Args:
        path (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File
    """

    return (
        await asyncio_detailed(
            path=path,
            client=client,
        )
    ).parsed
