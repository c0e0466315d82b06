from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.error_response_1x import ErrorResponse1X
from ...models.proxy_info import ProxyInfo
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    raw_configuration: bool | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["raw_configuration"] = raw_configuration

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/proxy/info",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ErrorResponse1X | ProxyInfo | None:
    if response.status_code == 200:
        response_200 = ProxyInfo.from_dict(response.json())

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
) -> Response[ErrorResponse | ErrorResponse1X | ProxyInfo]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    raw_configuration: bool | Unset = UNSET,
) -> Response[ErrorResponse | ErrorResponse1X | ProxyInfo]:
    """Describe the proxy process.

     Returns the proxy's version, start time, uptime and configuration.

    `curl 'http://localhost:39999/api/v1/proxy/info?raw_configuration=true'`

    Args:
        raw_configuration (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ErrorResponse1X | ProxyInfo]
    """

    kwargs = _get_kwargs(
        raw_configuration=raw_configuration,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    raw_configuration: bool | Unset = UNSET,
) -> ErrorResponse | ErrorResponse1X | ProxyInfo | None:
    """Describe the proxy process.

     Returns the proxy's version, start time, uptime and configuration.

    `curl 'http://localhost:39999/api/v1/proxy/info?raw_configuration=true'`

    Args:
        raw_configuration (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ErrorResponse1X | ProxyInfo
    """

    return sync_detailed(
        client=client,
        raw_configuration=raw_configuration,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    raw_configuration: bool | Unset = UNSET,
) -> Response[ErrorResponse | ErrorResponse1X | ProxyInfo]:
    """Describe the proxy process.

     Returns the proxy's version, start time, uptime and configuration.

    `curl 'http://localhost:39999/api/v1/proxy/info?raw_configuration=true'`

    Args:
        raw_configuration (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ErrorResponse1X | ProxyInfo]
    """

    kwargs = _get_kwargs(
        raw_configuration=raw_configuration,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    raw_configuration: bool | Unset = UNSET,
) -> ErrorResponse | ErrorResponse1X | ProxyInfo | None:
    """Describe the proxy process.

     Returns the proxy's version, start time, uptime and configuration.

    `curl 'http://localhost:39999/api/v1/proxy/info?raw_configuration=true'`

    Args:
        raw_configuration (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ErrorResponse1X | ProxyInfo
    """

    return (
        await asyncio_detailed(
            client=client,
            raw_configuration=raw_configuration,
        )
    ).parsed
