from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.authorization_denied import AuthorizationDenied
from ...models.error_result import ErrorResult
from ...models.not_found import NotFound
from ...models.update_result import UpdateResult
from ...models.update_workspace_request import UpdateWorkspaceRequest
from ...types import Response


def _get_kwargs(
    *,
    body: UpdateWorkspaceRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/collaboration/workspaces",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | AuthorizationDenied | ErrorResult | NotFound | UpdateResult | None:
    if response.status_code == 200:
        response_200 = UpdateResult.from_dict(response.json())

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

    if response.status_code == 413:
        response_413 = ErrorResult.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = ErrorResult.from_dict(response.json())

        return response_415

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
) -> Response[Any | AuthorizationDenied | ErrorResult | NotFound | UpdateResult]:
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
    *,
    client: AuthenticatedClient | Client,
    body: UpdateWorkspaceRequest,
) -> Response[Any | AuthorizationDenied | ErrorResult | NotFound | UpdateResult]:
    """Update a workspace

     Updates an existing workspace record. The body carries the `Id` of the record to update along with
    every required field, and replaces the record as a whole: an optional field left out is cleared
    (`VisibleInMySpaces`, `VisibleByEveryone` and `Archived` become `false`, `Description` becomes
    null), and `Members`, when sent, replaces the member list. `AddedMembers` and `RemovedMembers`
    change the list item by item, after `Members` is applied; a workspace whose body sends none of the
    three keeps its members.

    The authenticated user must be a full unrestricted administrator or have the `Workspace-Edit` role.

    It never creates a workspace (an unknown `Id` is a 404 with the JSON string `"Not found"`), never
    deletes one, and never changes a workspace's `Id`. Every request, valid or not, counts towards the
    rate limits; a throttled one is answered 409 with `Retry-After` and an empty body, and changes
    nothing.

    Args:
        body (UpdateWorkspaceRequest): The whole workspace record to store, addressed by `Id`;
            fields left out are cleared.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented one (most often a wrong base_url).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | AuthorizationDenied | ErrorResult | NotFound | UpdateResult]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: UpdateWorkspaceRequest,
) -> Any | AuthorizationDenied | ErrorResult | NotFound | UpdateResult | None:
    """Update a workspace

     Updates an existing workspace record. The body carries the `Id` of the record to update along with
    every required field, and replaces the record as a whole: an optional field left out is cleared
    (`VisibleInMySpaces`, `VisibleByEveryone` and `Archived` become `false`, `Description` becomes
    null), and `Members`, when sent, replaces the member list. `AddedMembers` and `RemovedMembers`
    change the list item by item, after `Members` is applied; a workspace whose body sends none of the
    three keeps its members.

    The authenticated user must be a full unrestricted administrator or have the `Workspace-Edit` role.

    It never creates a workspace (an unknown `Id` is a 404 with the JSON string `"Not found"`), never
    deletes one, and never changes a workspace's `Id`. Every request, valid or not, counts towards the
    rate limits; a throttled one is answered 409 with `Retry-After` and an empty body, and changes
    nothing.

    Args:
        body (UpdateWorkspaceRequest): The whole workspace record to store, addressed by `Id`;
            fields left out are cleared.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented one (most often a wrong base_url).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | AuthorizationDenied | ErrorResult | NotFound | UpdateResult
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: UpdateWorkspaceRequest,
) -> Response[Any | AuthorizationDenied | ErrorResult | NotFound | UpdateResult]:
    """Update a workspace

     Updates an existing workspace record. The body carries the `Id` of the record to update along with
    every required field, and replaces the record as a whole: an optional field left out is cleared
    (`VisibleInMySpaces`, `VisibleByEveryone` and `Archived` become `false`, `Description` becomes
    null), and `Members`, when sent, replaces the member list. `AddedMembers` and `RemovedMembers`
    change the list item by item, after `Members` is applied; a workspace whose body sends none of the
    three keeps its members.

    The authenticated user must be a full unrestricted administrator or have the `Workspace-Edit` role.

    It never creates a workspace (an unknown `Id` is a 404 with the JSON string `"Not found"`), never
    deletes one, and never changes a workspace's `Id`. Every request, valid or not, counts towards the
    rate limits; a throttled one is answered 409 with `Retry-After` and an empty body, and changes
    nothing.

    Args:
        body (UpdateWorkspaceRequest): The whole workspace record to store, addressed by `Id`;
            fields left out are cleared.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented one (most often a wrong base_url).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | AuthorizationDenied | ErrorResult | NotFound | UpdateResult]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: UpdateWorkspaceRequest,
) -> Any | AuthorizationDenied | ErrorResult | NotFound | UpdateResult | None:
    """Update a workspace

     Updates an existing workspace record. The body carries the `Id` of the record to update along with
    every required field, and replaces the record as a whole: an optional field left out is cleared
    (`VisibleInMySpaces`, `VisibleByEveryone` and `Archived` become `false`, `Description` becomes
    null), and `Members`, when sent, replaces the member list. `AddedMembers` and `RemovedMembers`
    change the list item by item, after `Members` is applied; a workspace whose body sends none of the
    three keeps its members.

    The authenticated user must be a full unrestricted administrator or have the `Workspace-Edit` role.

    It never creates a workspace (an unknown `Id` is a 404 with the JSON string `"Not found"`), never
    deletes one, and never changes a workspace's `Id`. Every request, valid or not, counts towards the
    rate limits; a throttled one is answered 409 with `Retry-After` and an empty body, and changes
    nothing.

    Args:
        body (UpdateWorkspaceRequest): The whole workspace record to store, addressed by `Id`;
            fields left out are cleared.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented one (most often a wrong base_url).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | AuthorizationDenied | ErrorResult | NotFound | UpdateResult
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
