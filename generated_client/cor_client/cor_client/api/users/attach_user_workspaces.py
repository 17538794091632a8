from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.attach_user_workspaces_request import AttachUserWorkspacesRequest
from ...models.error import Error
from ...models.user_with_workspaces import UserWithWorkspaces
from ...types import Response


def _get_kwargs(
    id: str,
    *,
    body: AttachUserWorkspacesRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/users/{id}/attach".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | UserWithWorkspaces | None:
    if response.status_code == 200:
        response_200 = UserWithWorkspaces.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | UserWithWorkspaces]:
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
    body: AttachUserWorkspacesRequest,
) -> Response[Error | UserWithWorkspaces]:
    """Attach workspaces to a user

     Attaches one or more workspaces to the user with external ID `id`, each with the percentage
    of the user's time assigned to it. The user and every `workspaceId` are looked up by
    external ID within the integration named in `metadata.source`. The response is the user with
    the workspaces attached to it, each with its pivot (`workspace_id`, `user_id`, `percentage`).

    It never creates users or workspaces (an unknown external ID is a 404 with code `ZC001`),
    never detaches workspaces that are not listed, and never changes any other user field.

    Args:
        id (str): An ID given to an entity by the external system, as sent when the entity was
            created through the integrations API. Example: OKTA-USER-12345.
        body (AttachUserWorkspacesRequest): The workspaces to attach to a user.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented one (most often a wrong base_url).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | UserWithWorkspaces]
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
    body: AttachUserWorkspacesRequest,
) -> Error | UserWithWorkspaces | None:
    """Attach workspaces to a user

     Attaches one or more workspaces to the user with external ID `id`, each with the percentage
    of the user's time assigned to it. The user and every `workspaceId` are looked up by
    external ID within the integration named in `metadata.source`. The response is the user with
    the workspaces attached to it, each with its pivot (`workspace_id`, `user_id`, `percentage`).

    It never creates users or workspaces (an unknown external ID is a 404 with code `ZC001`),
    never detaches workspaces that are not listed, and never changes any other user field.

    Args:
        id (str): An ID given to an entity by the external system, as sent when the entity was
            created through the integrations API. Example: OKTA-USER-12345.
        body (AttachUserWorkspacesRequest): The workspaces to attach to a user.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented one (most often a wrong base_url).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | UserWithWorkspaces
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
    body: AttachUserWorkspacesRequest,
) -> Response[Error | UserWithWorkspaces]:
    """Attach workspaces to a user

     Attaches one or more workspaces to the user with external ID `id`, each with the percentage
    of the user's time assigned to it. The user and every `workspaceId` are looked up by
    external ID within the integration named in `metadata.source`. The response is the user with
    the workspaces attached to it, each with its pivot (`workspace_id`, `user_id`, `percentage`).

    It never creates users or workspaces (an unknown external ID is a 404 with code `ZC001`),
    never detaches workspaces that are not listed, and never changes any other user field.

    Args:
        id (str): An ID given to an entity by the external system, as sent when the entity was
            created through the integrations API. Example: OKTA-USER-12345.
        body (AttachUserWorkspacesRequest): The workspaces to attach to a user.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented one (most often a wrong base_url).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | UserWithWorkspaces]
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
    body: AttachUserWorkspacesRequest,
) -> Error | UserWithWorkspaces | None:
    """Attach workspaces to a user

     Attaches one or more workspaces to the user with external ID `id`, each with the percentage
    of the user's time assigned to it. The user and every `workspaceId` are looked up by
    external ID within the integration named in `metadata.source`. The response is the user with
    the workspaces attached to it, each with its pivot (`workspace_id`, `user_id`, `percentage`).

    It never creates users or workspaces (an unknown external ID is a 404 with code `ZC001`),
    never detaches workspaces that are not listed, and never changes any other user field.

    Args:
        id (str): An ID given to an entity by the external system, as sent when the entity was
            created through the integrations API. Example: OKTA-USER-12345.
        body (AttachUserWorkspacesRequest): The workspaces to attach to a user.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented one (most often a wrong base_url).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | UserWithWorkspaces
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
