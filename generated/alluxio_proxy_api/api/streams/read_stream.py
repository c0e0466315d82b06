from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...types import File, Response


def _get_kwargs(
    id: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/streams/{id}/read".format(
            id=quote(str(id), safe=""),
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
    id: int,
    *,
    client: AuthenticatedClient | Client,
) -> Response[File]:
    """Read the rest of a read stream.

     Returns all remaining bytes of the read stream `id` (opened by `open-file`) in one
    `application/octet-stream` response; there is no offset or length parameter. Reading
    again after the content was drained returns an empty body. The request body is ignored.
    An unknown or closed id, or the id of a write stream, gives HTTP 500 with the text body
    `HTTP 500 Internal Server Error` (the JSON error cannot be written by this method).

    `curl -X POST 'http://localhost:39999/api/v1/streams/1/read'`

    Args:
        id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File]
    """

    kwargs = _get_kwargs(
        id=id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: int,
    *,
    client: AuthenticatedClient | Client,
) -> File | None:
    """Read the rest of a read stream.

     Returns all remaining bytes of the read stream `id` (opened by `open-file`) in one
    `application/octet-stream` response; there is no offset or length parameter. Reading
    again after the content was drained returns an empty body. The request body is ignored.
    An unknown or closed id, or the id of a write stream, gives HTTP 500 with the text body
    `HTTP 500 Internal Server Error` (the JSON error cannot be written by this method).

    `curl -X POST 'http://localhost:39999/api/v1/streams/1/read'`

    Args:
        id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File
    """

    return sync_detailed(
        id=id,
        client=client,
    ).parsed


async def asyncio_detailed(
    id: int,
    *,
    client: AuthenticatedClient | Client,
) -> Response[File]:
    """Read the rest of a read stream.

     Returns all remaining bytes of the read stream `id` (opened by `open-file`) in one
    `application/octet-stream` response; there is no offset or length parameter. Reading
    again after the content was drained returns an empty body. The request body is ignored.
    An unknown or closed id, or the id of a write stream, gives HTTP 500 with the text body
    `HTTP 500 Internal Server Error` (the JSON error cannot be written by this method).

    `curl -X POST 'http://localhost:39999/api/v1/streams/1/read'`

    Args:
        id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File]
    """

    kwargs = _get_kwargs(
        id=id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: int,
    *,
    client: AuthenticatedClient | Client,
) -> File | None:
    """Read the rest of a read stream.

     Returns all remaining bytes of the read stream `id` (opened by `open-file`) in one
    `application/octet-stream` response; there is no offset or length parameter. Reading
    again after the content was drained returns an empty body. The request body is ignored.
    An unknown or closed id, or the id of a write stream, gives HTTP 500 with the text body
    `HTTP 500 Internal Server Error` (the JSON error cannot be written by this method).

    `curl -X POST 'http://localhost:39999/api/v1/streams/1/read'`

    Args:
        id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
        )
    ).parsed
