from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.error_response_1x import ErrorResponse1X
from ...types import Response


def _get_kwargs(
    id: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/streams/{id}/close".format(
            id=quote(str(id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ErrorResponse | ErrorResponse1X | None:
    if response.status_code == 200:
        response_200 = cast(Any, None)
        return response_200

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
) -> Response[Any | ErrorResponse | ErrorResponse1X]:
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
) -> Response[Any | ErrorResponse | ErrorResponse1X]:
    """Close a stream.

     Closes the stream `id`; closing a write stream completes the file. Errors raised while
    closing are only logged by the proxy, never returned. An unknown or already closed id
    gives HTTP 500 `INTERNAL` "stream does not exist".

    `curl -X POST 'http://localhost:39999/api/v1/streams/2/close'`

    Args:
        id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse | ErrorResponse1X]
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
) -> Any | ErrorResponse | ErrorResponse1X | None:
    """Close a stream.

     Closes the stream `id`; closing a write stream completes the file. Errors raised while
    closing are only logged by the proxy, never returned. An unknown or already closed id
    gives HTTP 500 `INTERNAL` "stream does not exist".

    `curl -X POST 'http://localhost:39999/api/v1/streams/2/close'`

    Args:
        id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse | ErrorResponse1X
    """

    return sync_detailed(
        id=id,
        client=client,
    ).parsed


async def asyncio_detailed(
    id: int,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Any | ErrorResponse | ErrorResponse1X]:
    """Close a stream.

     Closes the stream `id`; closing a write stream completes the file. Errors raised while
    closing are only logged by the proxy, never returned. An unknown or already closed id
    gives HTTP 500 `INTERNAL` "stream does not exist".

    `curl -X POST 'http://localhost:39999/api/v1/streams/2/close'`

    Args:
        id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse | ErrorResponse1X]
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
) -> Any | ErrorResponse | ErrorResponse1X | None:
    """Close a stream.

     Closes the stream `id`; closing a write stream completes the file. Errors raised while
    closing are only logged by the proxy, never returned. An unknown or already closed id
    gives HTTP 500 `INTERNAL` "stream does not exist".

    `curl -X POST 'http://localhost:39999/api/v1/streams/2/close'`

    Args:
        id (int):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse | ErrorResponse1X
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
        )
    ).parsed
