from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.authorization_denied import AuthorizationDenied
from ...models.error_result import ErrorResult
from ...models.not_found import NotFound
from ...models.workspace import Workspace
from ...types import Response


def _get_kwargs(
    id: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/collaboration/workspaces/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | AuthorizationDenied | ErrorResult | NotFound | Workspace | None:
    if response.status_code == 200:
        response_200 = Workspace.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResult.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = AuthorizationDenied.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = NotFound(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = cast(Any, None)
        return response_409

    if response.status_code == 431:
        response_431 = ErrorResult.from_dict(response.json())

        return response_431

    if response.status_code == 500:
        response_500 = ErrorResult.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | AuthorizationDenied | ErrorResult | NotFound | Workspace]:
    try:
        parsed = _parse_response(client=client, response=response)
    except (KeyError, TypeError, ValueError) as problem:  # not JSON, or not the documented shape
        raise errors.UnexpectedResponse(response, problem) from problem
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=parsed,
    )


def sync_detailed(
    id: int,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Any | AuthorizationDenied | ErrorResult | NotFound | Workspace]:
    """Get a workspace

     Returns the workspace record with Id `id` as it is now, so what a PUT wrote can be read back the
    vendor's way: every field the PUT takes (members as a list of Ids) plus when and by whom the record
    was last changed.

    It never changes anything. An unknown `id` is a 404 with the JSON string `"Not found"`.

    Args:
        id (int): The Id of a Nexudus record. Example: 87654321.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented one (most often a wrong base_url).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | AuthorizationDenied | ErrorResult | NotFound | Workspace]
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
) -> Any | AuthorizationDenied | ErrorResult | NotFound | Workspace | None:
    """Get a workspace

     Returns the workspace record with Id `id` as it is now, so what a PUT wrote can be read back the
    vendor's way: every field the PUT takes (members as a list of Ids) plus when and by whom the record
    was last changed.

    It never changes anything. An unknown `id` is a 404 with the JSON string `"Not found"`.

    Args:
        id (int): The Id of a Nexudus record. Example: 87654321.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented one (most often a wrong base_url).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | AuthorizationDenied | ErrorResult | NotFound | Workspace
    """

    return sync_detailed(
        id=id,
        client=client,
    ).parsed


async def asyncio_detailed(
    id: int,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Any | AuthorizationDenied | ErrorResult | NotFound | Workspace]:
    """Get a workspace

     Returns the workspace record with Id `id` as it is now, so what a PUT wrote can be read back the
    vendor's way: every field the PUT takes (members as a list of Ids) plus when and by whom the record
    was last changed.

    It never changes anything. An unknown `id` is a 404 with the JSON string `"Not found"`.

    Args:
        id (int): The Id of a Nexudus record. Example: 87654321.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented one (most often a wrong base_url).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | AuthorizationDenied | ErrorResult | NotFound | Workspace]
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
) -> Any | AuthorizationDenied | ErrorResult | NotFound | Workspace | None:
    """Get a workspace

     Returns the workspace record with Id `id` as it is now, so what a PUT wrote can be read back the
    vendor's way: every field the PUT takes (members as a list of Ids) plus when and by whom the record
    was last changed.

    It never changes anything. An unknown `id` is a 404 with the JSON string `"Not found"`.

    Args:
        id (int): The Id of a Nexudus record. Example: 87654321.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented one (most often a wrong base_url).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | AuthorizationDenied | ErrorResult | NotFound | Workspace
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
        )
    ).parsed
