from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.error_response_1x import ErrorResponse1X
from ...types import File, Response


def _get_kwargs(
    id: int,
    *,
    body: File,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/streams/{id}/write".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["content"] = body.payload
    headers["Content-Type"] = "application/octet-stream"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ErrorResponse1X | int | str | None:
    if response.status_code == 200:
        response_200 = cast(int, response.json())
        return response_200

    if response.status_code == 400:
        response_400 = response.text
        return response_400

    if response.status_code == 500:

        def _parse_response_500(data: object) -> ErrorResponse | ErrorResponse1X:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_500_type_0 = ErrorResponse.from_dict(data)

                return response_500_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            response_500_type_1 = ErrorResponse1X.from_dict(data)

            return response_500_type_1

        response_500 = _parse_response_500(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | ErrorResponse1X | int | str]:
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
    body: File,
) -> Response[ErrorResponse | ErrorResponse1X | int | str]:
    """Append bytes to a write stream.

     Appends the raw request body to the write stream `id` (opened by `create-file`) and
    returns the number of bytes written by this call. May be called several times; the
    body may be sent with chunked transfer encoding. An unknown id, or the id of a read
    stream, gives HTTP 500 `INTERNAL` "stream does not exist".

    The body must not be labelled `application/json` (HTTP 500 "HTTP 415 Unsupported Media
    Type"); `application/octet-stream` or no `Content-Type` at all are accepted.

    `curl -X POST 'http://localhost:39999/api/v1/streams/2/write' -H 'Content-Type: application/octet-
    stream' --data-binary @a.txt`

    Args:
        id (int):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ErrorResponse1X | int | str]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: int,
    *,
    client: AuthenticatedClient | Client,
    body: File,
) -> ErrorResponse | ErrorResponse1X | int | str | None:
    """Append bytes to a write stream.

     Appends the raw request body to the write stream `id` (opened by `create-file`) and
    returns the number of bytes written by this call. May be called several times; the
    body may be sent with chunked transfer encoding. An unknown id, or the id of a read
    stream, gives HTTP 500 `INTERNAL` "stream does not exist".

    The body must not be labelled `application/json` (HTTP 500 "HTTP 415 Unsupported Media
    Type"); `application/octet-stream` or no `Content-Type` at all are accepted.

    `curl -X POST 'http://localhost:39999/api/v1/streams/2/write' -H 'Content-Type: application/octet-
    stream' --data-binary @a.txt`

    Args:
        id (int):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ErrorResponse1X | int | str
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    id: int,
    *,
    client: AuthenticatedClient | Client,
    body: File,
) -> Response[ErrorResponse | ErrorResponse1X | int | str]:
    """Append bytes to a write stream.

     Appends the raw request body to the write stream `id` (opened by `create-file`) and
    returns the number of bytes written by this call. May be called several times; the
    body may be sent with chunked transfer encoding. An unknown id, or the id of a read
    stream, gives HTTP 500 `INTERNAL` "stream does not exist".

    The body must not be labelled `application/json` (HTTP 500 "HTTP 415 Unsupported Media
    Type"); `application/octet-stream` or no `Content-Type` at all are accepted.

    `curl -X POST 'http://localhost:39999/api/v1/streams/2/write' -H 'Content-Type: application/octet-
    stream' --data-binary @a.txt`

    Args:
        id (int):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ErrorResponse1X | int | str]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: int,
    *,
    client: AuthenticatedClient | Client,
    body: File,
) -> ErrorResponse | ErrorResponse1X | int | str | None:
    """Append bytes to a write stream.

     Appends the raw request body to the write stream `id` (opened by `create-file`) and
    returns the number of bytes written by this call. May be called several times; the
    body may be sent with chunked transfer encoding. An unknown id, or the id of a read
    stream, gives HTTP 500 `INTERNAL` "stream does not exist".

    The body must not be labelled `application/json` (HTTP 500 "HTTP 415 Unsupported Media
    Type"); `application/octet-stream` or no `Content-Type` at all are accepted.

    `curl -X POST 'http://localhost:39999/api/v1/streams/2/write' -H 'Content-Type: application/octet-
    stream' --data-binary @a.txt`

    Args:
        id (int):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ErrorResponse1X | int | str
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
