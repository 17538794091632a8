from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.update_workspace_request import UpdateWorkspaceRequest
from ...models.workspace_response import WorkspaceResponse
from ...types import Response


def _get_kwargs(
    org: str,
    workspace: str,
    *,
    body: UpdateWorkspaceRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/org/{org}/ws/{workspace}".format(
            org=quote(str(org), safe=""),
            workspace=quote(str(workspace), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | WorkspaceResponse | None:
    if response.status_code == 200:
        response_200 = WorkspaceResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ErrorResponse.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = ErrorResponse.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = ErrorResponse.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = ErrorResponse.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = ErrorResponse.from_dict(response.json())

        return response_422

    if response.status_code == 426:
        response_426 = ErrorResponse.from_dict(response.json())

        return response_426

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 431:
        response_431 = ErrorResponse.from_dict(response.json())

        return response_431

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if response.status_code == 502:
        response_502 = ErrorResponse.from_dict(response.json())

        return response_502

    if response.status_code == 504:
        response_504 = ErrorResponse.from_dict(response.json())

        return response_504

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | WorkspaceResponse]:
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
    org: str,
    workspace: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateWorkspaceRequest,
) -> Response[ErrorResponse | WorkspaceResponse]:
    """Update a workspace

     Updates the details of the workspace whose key is `workspace` in the organization whose slug is
    `org`. Only the fields sent change; fields left out keep their current values. Sending `key`
    renames the workspace: its key must be unique within the organization (409 otherwise), and from
    then on the workspace is found at its new key only (the old path answers 404). Every successful
    update sets `updated_at`; `created_at`, `id`, `is_default` and `project_count` never change.

    It never creates a workspace (an unknown organization or workspace is a 404), never moves one to
    another organization, and never changes which workspace is the organization's default.

    Args:
        org (str): A slug naming an organization or a workspace in URLs; lower-case letters,
            digits and hyphens, starting and ending with a letter or digit. Example: example.
        workspace (str): A slug naming an organization or a workspace in URLs; lower-case letters,
            digits and hyphens, starting and ending with a letter or digit. Example: example.
        body (UpdateWorkspaceRequest): Request to update workspace. Every field is optional; only
            the fields sent change. Example: {'description': 'example', 'is_active': True, 'key':
            'example', 'name': 'example'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented one (most often a wrong base_url).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | WorkspaceResponse]
    """

    kwargs = _get_kwargs(
        org=org,
        workspace=workspace,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    org: str,
    workspace: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateWorkspaceRequest,
) -> ErrorResponse | WorkspaceResponse | None:
    """Update a workspace

     Updates the details of the workspace whose key is `workspace` in the organization whose slug is
    `org`. Only the fields sent change; fields left out keep their current values. Sending `key`
    renames the workspace: its key must be unique within the organization (409 otherwise), and from
    then on the workspace is found at its new key only (the old path answers 404). Every successful
    update sets `updated_at`; `created_at`, `id`, `is_default` and `project_count` never change.

    It never creates a workspace (an unknown organization or workspace is a 404), never moves one to
    another organization, and never changes which workspace is the organization's default.

    Args:
        org (str): A slug naming an organization or a workspace in URLs; lower-case letters,
            digits and hyphens, starting and ending with a letter or digit. Example: example.
        workspace (str): A slug naming an organization or a workspace in URLs; lower-case letters,
            digits and hyphens, starting and ending with a letter or digit. Example: example.
        body (UpdateWorkspaceRequest): Request to update workspace. Every field is optional; only
            the fields sent change. Example: {'description': 'example', 'is_active': True, 'key':
            'example', 'name': 'example'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented one (most often a wrong base_url).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | WorkspaceResponse
    """

    return sync_detailed(
        org=org,
        workspace=workspace,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    org: str,
    workspace: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateWorkspaceRequest,
) -> Response[ErrorResponse | WorkspaceResponse]:
    """Update a workspace

     Updates the details of the workspace whose key is `workspace` in the organization whose slug is
    `org`. Only the fields sent change; fields left out keep their current values. Sending `key`
    renames the workspace: its key must be unique within the organization (409 otherwise), and from
    then on the workspace is found at its new key only (the old path answers 404). Every successful
    update sets `updated_at`; `created_at`, `id`, `is_default` and `project_count` never change.

    It never creates a workspace (an unknown organization or workspace is a 404), never moves one to
    another organization, and never changes which workspace is the organization's default.

    Args:
        org (str): A slug naming an organization or a workspace in URLs; lower-case letters,
            digits and hyphens, starting and ending with a letter or digit. Example: example.
        workspace (str): A slug naming an organization or a workspace in URLs; lower-case letters,
            digits and hyphens, starting and ending with a letter or digit. Example: example.
        body (UpdateWorkspaceRequest): Request to update workspace. Every field is optional; only
            the fields sent change. Example: {'description': 'example', 'is_active': True, 'key':
            'example', 'name': 'example'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented one (most often a wrong base_url).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | WorkspaceResponse]
    """

    kwargs = _get_kwargs(
        org=org,
        workspace=workspace,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org: str,
    workspace: str,
    *,
    client: AuthenticatedClient | Client,
    body: UpdateWorkspaceRequest,
) -> ErrorResponse | WorkspaceResponse | None:
    """Update a workspace

     Updates the details of the workspace whose key is `workspace` in the organization whose slug is
    `org`. Only the fields sent change; fields left out keep their current values. Sending `key`
    renames the workspace: its key must be unique within the organization (409 otherwise), and from
    then on the workspace is found at its new key only (the old path answers 404). Every successful
    update sets `updated_at`; `created_at`, `id`, `is_default` and `project_count` never change.

    It never creates a workspace (an unknown organization or workspace is a 404), never moves one to
    another organization, and never changes which workspace is the organization's default.

    Args:
        org (str): A slug naming an organization or a workspace in URLs; lower-case letters,
            digits and hyphens, starting and ending with a letter or digit. Example: example.
        workspace (str): A slug naming an organization or a workspace in URLs; lower-case letters,
            digits and hyphens, starting and ending with a letter or digit. Example: example.
        body (UpdateWorkspaceRequest): Request to update workspace. Every field is optional; only
            the fields sent change. Example: {'description': 'example', 'is_active': True, 'key':
            'example', 'name': 'example'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        errors.UnexpectedResponse: If a documented status comes with a body that is not the documented one (most often a wrong base_url).
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | WorkspaceResponse
    """

    return (
        await asyncio_detailed(
            org=org,
            workspace=workspace,
            client=client,
            body=body,
        )
    ).parsed
