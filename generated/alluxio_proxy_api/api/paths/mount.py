from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.error_response_1x import ErrorResponse1X
from ...models.mount_options import MountOptions
from ...types import UNSET, Response, Unset


def _get_kwargs(
    path: str,
    *,
    body: MountOptions | Unset = UNSET,
    src: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    params["src"] = src

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/paths/{path}/mount".format(
            path="/".join(
                "%2E" * len(s) if s in (".", "..") else s
                for s in quote(str(path), safe="/").split("/")
            ),
        ),
        "params": params,
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ErrorResponse | ErrorResponse1X | str | None:
    if response.status_code == 200:
        response_200 = cast(Any, None)
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
) -> Response[Any | ErrorResponse | ErrorResponse1X | str]:
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
    body: MountOptions | Unset = UNSET,
    src: str,
) -> Response[Any | ErrorResponse | ErrorResponse1X | str]:
    """Mount an under storage.

     Mounts the under-storage URI `src` at the Alluxio path `path`. A missing `src` gives
    HTTP 500 `INTERNAL` "required 'src' parameter is missing". The options may carry
    credentials in `properties`: never log them. A failed mount's error message (e.g.
    `UNKNOWN` "... Ufs path /x does not exist") quotes the options, credentials included.

    `curl -X POST
    'http://localhost:39999/api/v1/paths//mnt/hdfs/mount?src=hdfs%3A%2F%2Fnamenode%3A8020%2Fdata'`

    Args:
        path (str):
        src (str):
        body (MountOptions | Unset): Options of `mount`. Every field is optional. `properties`
            usually holds credentials
            of the under storage: it is SECRET-BEARING and must never be logged or shown.
             Example: {'readOnly': True, 'shared': True, 'properties': {'fs.s3a.access.key': '<access
            key>', 'fs.s3a.secret.key': '<secret key>'}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse | ErrorResponse1X | str]
    """

    kwargs = _get_kwargs(
        path=path,
        body=body,
        src=src,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    path: str,
    *,
    client: AuthenticatedClient | Client,
    body: MountOptions | Unset = UNSET,
    src: str,
) -> Any | ErrorResponse | ErrorResponse1X | str | None:
    """Mount an under storage.

     Mounts the under-storage URI `src` at the Alluxio path `path`. A missing `src` gives
    HTTP 500 `INTERNAL` "required 'src' parameter is missing". The options may carry
    credentials in `properties`: never log them. A failed mount's error message (e.g.
    `UNKNOWN` "... Ufs path /x does not exist") quotes the options, credentials included.

    `curl -X POST
    'http://localhost:39999/api/v1/paths//mnt/hdfs/mount?src=hdfs%3A%2F%2Fnamenode%3A8020%2Fdata'`

    Args:
        path (str):
        src (str):
        body (MountOptions | Unset): Options of `mount`. Every field is optional. `properties`
            usually holds credentials
            of the under storage: it is SECRET-BEARING and must never be logged or shown.
             Example: {'readOnly': True, 'shared': True, 'properties': {'fs.s3a.access.key': '<access
            key>', 'fs.s3a.secret.key': '<secret key>'}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse | ErrorResponse1X | str
    """

    return sync_detailed(
        path=path,
        client=client,
        body=body,
        src=src,
    ).parsed


async def asyncio_detailed(
    path: str,
    *,
    client: AuthenticatedClient | Client,
    body: MountOptions | Unset = UNSET,
    src: str,
) -> Response[Any | ErrorResponse | ErrorResponse1X | str]:
    """Mount an under storage.

     Mounts the under-storage URI `src` at the Alluxio path `path`. A missing `src` gives
    HTTP 500 `INTERNAL` "required 'src' parameter is missing". The options may carry
    credentials in `properties`: never log them. A failed mount's error message (e.g.
    `UNKNOWN` "... Ufs path /x does not exist") quotes the options, credentials included.

    `curl -X POST
    'http://localhost:39999/api/v1/paths//mnt/hdfs/mount?src=hdfs%3A%2F%2Fnamenode%3A8020%2Fdata'`

    Args:
        path (str):
        src (str):
        body (MountOptions | Unset): Options of `mount`. Every field is optional. `properties`
            usually holds credentials
            of the under storage: it is SECRET-BEARING and must never be logged or shown.
             Example: {'readOnly': True, 'shared': True, 'properties': {'fs.s3a.access.key': '<access
            key>', 'fs.s3a.secret.key': '<secret key>'}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorResponse | ErrorResponse1X | str]
    """

    kwargs = _get_kwargs(
        path=path,
        body=body,
        src=src,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    path: str,
    *,
    client: AuthenticatedClient | Client,
    body: MountOptions | Unset = UNSET,
    src: str,
) -> Any | ErrorResponse | ErrorResponse1X | str | None:
    """Mount an under storage.

     Mounts the under-storage URI `src` at the Alluxio path `path`. A missing `src` gives
    HTTP 500 `INTERNAL` "required 'src' parameter is missing". The options may carry
    credentials in `properties`: never log them. A failed mount's error message (e.g.
    `UNKNOWN` "... Ufs path /x does not exist") quotes the options, credentials included.

    `curl -X POST
    'http://localhost:39999/api/v1/paths//mnt/hdfs/mount?src=hdfs%3A%2F%2Fnamenode%3A8020%2Fdata'`

    Args:
        path (str):
        src (str):
        body (MountOptions | Unset): Options of `mount`. Every field is optional. `properties`
            usually holds credentials
            of the under storage: it is SECRET-BEARING and must never be logged or shown.
             Example: {'readOnly': True, 'shared': True, 'properties': {'fs.s3a.access.key': '<access
            key>', 'fs.s3a.secret.key': '<secret key>'}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorResponse | ErrorResponse1X | str
    """

    return (
        await asyncio_detailed(
            path=path,
            client=client,
            body=body,
            src=src,
        )
    ).parsed
