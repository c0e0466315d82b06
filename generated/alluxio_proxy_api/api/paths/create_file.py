from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.create_file_options import CreateFileOptions
from ...models.error_response import ErrorResponse
from ...models.error_response_1x import ErrorResponse1X
from ...types import UNSET, Response, Unset


def _get_kwargs(
    path: str,
    *,
    body: CreateFileOptions | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/paths/{path}/create-file".format(
            path="/".join(
                "%2E" * len(s) if s in (".", "..") else s
                for s in quote(str(path), safe="/").split("/")
            ),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

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
    path: str,
    *,
    client: AuthenticatedClient | Client,
    body: CreateFileOptions | Unset = UNSET,
) -> Response[ErrorResponse | ErrorResponse1X | int | str]:
    """Create a file and open it for writing.

     Creates a file at `path` and returns the id of a write stream. Send the content with
    `POST /api/v1/streams/{id}/write` and complete the file with
    `POST /api/v1/streams/{id}/close`. Fails with `ALREADY_EXISTS` when the path exists.

    `curl -X POST 'http://localhost:39999/api/v1/paths//data/a.txt/create-file' -H 'Content-Type:
    application/json' -d '{"writeType": "CACHE_THROUGH"}'`

    Args:
        path (str):
        body (CreateFileOptions | Unset): Options of `create-file`. Every field is optional. In
            2.x the TTL goes in
            `commonOptions`; the top-level `ttl`/`ttlAction` and `locationPolicyClass` are 1.x only.
             Example: {'blockSizeBytes': 67108864, 'recursive': True, 'writeType': 'CACHE_THROUGH',
            'replicationMin': 1, 'commonOptions': {'ttl': 3600000, 'ttlAction': 'FREE'}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ErrorResponse1X | int | str]
    """

    kwargs = _get_kwargs(
        path=path,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    path: str,
    *,
    client: AuthenticatedClient | Client,
    body: CreateFileOptions | Unset = UNSET,
) -> ErrorResponse | ErrorResponse1X | int | str | None:
    """Create a file and open it for writing.

     Creates a file at `path` and returns the id of a write stream. Send the content with
    `POST /api/v1/streams/{id}/write` and complete the file with
    `POST /api/v1/streams/{id}/close`. Fails with `ALREADY_EXISTS` when the path exists.

    `curl -X POST 'http://localhost:39999/api/v1/paths//data/a.txt/create-file' -H 'Content-Type:
    application/json' -d '{"writeType": "CACHE_THROUGH"}'`

    Args:
        path (str):
        body (CreateFileOptions | Unset): Options of `create-file`. Every field is optional. In
            2.x the TTL goes in
            `commonOptions`; the top-level `ttl`/`ttlAction` and `locationPolicyClass` are 1.x only.
             Example: {'blockSizeBytes': 67108864, 'recursive': True, 'writeType': 'CACHE_THROUGH',
            'replicationMin': 1, 'commonOptions': {'ttl': 3600000, 'ttlAction': 'FREE'}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ErrorResponse1X | int | str
    """

    return sync_detailed(
        path=path,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    path: str,
    *,
    client: AuthenticatedClient | Client,
    body: CreateFileOptions | Unset = UNSET,
) -> Response[ErrorResponse | ErrorResponse1X | int | str]:
    """Create a file and open it for writing.

     Creates a file at `path` and returns the id of a write stream. Send the content with
    `POST /api/v1/streams/{id}/write` and complete the file with
    `POST /api/v1/streams/{id}/close`. Fails with `ALREADY_EXISTS` when the path exists.

    `curl -X POST 'http://localhost:39999/api/v1/paths//data/a.txt/create-file' -H 'Content-Type:
    application/json' -d '{"writeType": "CACHE_THROUGH"}'`

    Args:
        path (str):
        body (CreateFileOptions | Unset): Options of `create-file`. Every field is optional. In
            2.x the TTL goes in
            `commonOptions`; the top-level `ttl`/`ttlAction` and `locationPolicyClass` are 1.x only.
             Example: {'blockSizeBytes': 67108864, 'recursive': True, 'writeType': 'CACHE_THROUGH',
            'replicationMin': 1, 'commonOptions': {'ttl': 3600000, 'ttlAction': 'FREE'}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ErrorResponse1X | int | str]
    """

    kwargs = _get_kwargs(
        path=path,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    path: str,
    *,
    client: AuthenticatedClient | Client,
    body: CreateFileOptions | Unset = UNSET,
) -> ErrorResponse | ErrorResponse1X | int | str | None:
    """Create a file and open it for writing.

     Creates a file at `path` and returns the id of a write stream. Send the content with
    `POST /api/v1/streams/{id}/write` and complete the file with
    `POST /api/v1/streams/{id}/close`. Fails with `ALREADY_EXISTS` when the path exists.

    `curl -X POST 'http://localhost:39999/api/v1/paths//data/a.txt/create-file' -H 'Content-Type:
    application/json' -d '{"writeType": "CACHE_THROUGH"}'`

    Args:
        path (str):
        body (CreateFileOptions | Unset): Options of `create-file`. Every field is optional. In
            2.x the TTL goes in
            `commonOptions`; the top-level `ttl`/`ttlAction` and `locationPolicyClass` are 1.x only.
             Example: {'blockSizeBytes': 67108864, 'recursive': True, 'writeType': 'CACHE_THROUGH',
            'replicationMin': 1, 'commonOptions': {'ttl': 3600000, 'ttlAction': 'FREE'}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ErrorResponse1X | int | str
    """

    return (
        await asyncio_detailed(
            path=path,
            client=client,
            body=body,
        )
    ).parsed
