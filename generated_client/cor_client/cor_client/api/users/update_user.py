from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.update_user_request import UpdateUserRequest
from ...models.user import User
from ...types import Response


def _get_kwargs(
    id: str,
    *,
    body: UpdateUserRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/users/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Error | User | None:
    if response.status_code == 200:
        response_200 = User.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Error | User]:
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
    body: UpdateUserRequest,
) -> Response[Error | User]:
    """Update a user

     Updates the user that was created with external ID `id` for the integration named in
    `metadata.source`. Only the fields sent are changed; fields left out keep their current
    values. `user_position_id` and `seniority_id` reassign the user's position and seniority to
    ones previously created through the integrations API.

    It never creates a user, position or seniority (an unknown external ID is a 404 with code
    `ZC001`), never changes the user's email, and never changes the user's workspaces (use
    `PUT /users/{id}/attach` for that).

    Args:
        id (str): An ID given to an entity by the external system, as sent when the entity was
            created through the integrations API. Example: OKTA-USER-12345.
        body (UpdateUserRequest): Fields of a user to update; only the fields sent are changed.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented one (most often a wrong base_url).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | User]
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
    body: UpdateUserRequest,
) -> Error | User | None:
    """Update a user

     Updates the user that was created with external ID `id` for the integration named in
    `metadata.source`. Only the fields sent are changed; fields left out keep their current
    values. `user_position_id` and `seniority_id` reassign the user's position and seniority to
    ones previously created through the integrations API.

    It never creates a user, position or seniority (an unknown external ID is a 404 with code
    `ZC001`), never changes the user's email, and never changes the user's workspaces (use
    `PUT /users/{id}/attach` for that).

    Args:
        id (str): An ID given to an entity by the external system, as sent when the entity was
            created through the integrations API. Example: OKTA-USER-12345.
        body (UpdateUserRequest): Fields of a user to update; only the fields sent are changed.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented one (most often a wrong base_url).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | User
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
    body: UpdateUserRequest,
) -> Response[Error | User]:
    """Update a user

     Updates the user that was created with external ID `id` for the integration named in
    `metadata.source`. Only the fields sent are changed; fields left out keep their current
    values. `user_position_id` and `seniority_id` reassign the user's position and seniority to
    ones previously created through the integrations API.

    It never creates a user, position or seniority (an unknown external ID is a 404 with code
    `ZC001`), never changes the user's email, and never changes the user's workspaces (use
    `PUT /users/{id}/attach` for that).

    Args:
        id (str): An ID given to an entity by the external system, as sent when the entity was
            created through the integrations API. Example: OKTA-USER-12345.
        body (UpdateUserRequest): Fields of a user to update; only the fields sent are changed.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented one (most often a wrong base_url).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | User]
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
    body: UpdateUserRequest,
) -> Error | User | None:
    """Update a user

     Updates the user that was created with external ID `id` for the integration named in
    `metadata.source`. Only the fields sent are changed; fields left out keep their current
    values. `user_position_id` and `seniority_id` reassign the user's position and seniority to
    ones previously created through the integrations API.

    It never creates a user, position or seniority (an unknown external ID is a 404 with code
    `ZC001`), never changes the user's email, and never changes the user's workspaces (use
    `PUT /users/{id}/attach` for that).

    Args:
        id (str): An ID given to an entity by the external system, as sent when the entity was
            created through the integrations API. Example: OKTA-USER-12345.
        body (UpdateUserRequest): Fields of a user to update; only the fields sent are changed.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented one (most often a wrong base_url).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | User
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
