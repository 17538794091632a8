from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.update_workspace_request import UpdateWorkspaceRequest
from ...models.workspace import Workspace
from ...types import Response


def _get_kwargs(
    id: str,
    *,
    body: UpdateWorkspaceRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/workspaces/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | Workspace | None:
    if response.status_code == 200:
        response_200 = Workspace.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

    if response.status_code == 413:
        response_413 = Error.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Error.from_dict(response.json())

        return response_415

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if response.status_code == 431:
        response_431 = Error.from_dict(response.json())

        return response_431

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | Workspace]:
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
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateWorkspaceRequest,
) -> Response[Error | Workspace]:
    """Update a workspace

     Updates the workspace that was created with external ID `id` for the integration named in
    `metadata.source`. It performs the same validations as creation and changes only the fields
    sent; fields left out keep their current values. To deactivate a workspace set `active` to
    `false`: this is the recommended way to "delete" one, since there is no DELETE endpoint.

    It never creates a workspace (an unknown external ID is a 404 with code `ZC001`), never
    deletes one, and never changes a workspace's external ID or source.

    Args:
        id (str): An ID given to an entity by the external system, as sent when the entity was
            created through the integrations API. Example: OKTA-USER-12345.
        body (UpdateWorkspaceRequest): Fields of a workspace to update; only the fields sent are
            changed.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented one (most often a wrong base_url).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Workspace]
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
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateWorkspaceRequest,
) -> Error | Workspace | None:
    """Update a workspace

     Updates the workspace that was created with external ID `id` for the integration named in
    `metadata.source`. It performs the same validations as creation and changes only the fields
    sent; fields left out keep their current values. To deactivate a workspace set `active` to
    `false`: this is the recommended way to "delete" one, since there is no DELETE endpoint.

    It never creates a workspace (an unknown external ID is a 404 with code `ZC001`), never
    deletes one, and never changes a workspace's external ID or source.

    Args:
        id (str): An ID given to an entity by the external system, as sent when the entity was
            created through the integrations API. Example: OKTA-USER-12345.
        body (UpdateWorkspaceRequest): Fields of a workspace to update; only the fields sent are
            changed.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented one (most often a wrong base_url).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Workspace
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateWorkspaceRequest,
) -> Response[Error | Workspace]:
    """Update a workspace

     Updates the workspace that was created with external ID `id` for the integration named in
    `metadata.source`. It performs the same validations as creation and changes only the fields
    sent; fields left out keep their current values. To deactivate a workspace set `active` to
    `false`: this is the recommended way to "delete" one, since there is no DELETE endpoint.

    It never creates a workspace (an unknown external ID is a 404 with code `ZC001`), never
    deletes one, and never changes a workspace's external ID or source.

    Args:
        id (str): An ID given to an entity by the external system, as sent when the entity was
            created through the integrations API. Example: OKTA-USER-12345.
        body (UpdateWorkspaceRequest): Fields of a workspace to update; only the fields sent are
            changed.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented one (most often a wrong base_url).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | Workspace]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateWorkspaceRequest,
) -> Error | Workspace | None:
    """Update a workspace

     Updates the workspace that was created with external ID `id` for the integration named in
    `metadata.source`. It performs the same validations as creation and changes only the fields
    sent; fields left out keep their current values. To deactivate a workspace set `active` to
    `false`: this is the recommended way to "delete" one, since there is no DELETE endpoint.

    It never creates a workspace (an unknown external ID is a 404 with code `ZC001`), never
    deletes one, and never changes a workspace's external ID or source.

    Args:
        id (str): An ID given to an entity by the external system, as sent when the entity was
            created through the integrations API. Example: OKTA-USER-12345.
        body (UpdateWorkspaceRequest): Fields of a workspace to update; only the fields sent are
            changed.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented one (most often a wrong base_url).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | Workspace
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
