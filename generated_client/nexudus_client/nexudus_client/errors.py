"""Contains shared errors types that can be raised from API functions"""

import httpx

#: Where the API lives; the operations' paths are relative to it.
DOCUMENTED_BASE_URL = "https://spaces.nexudus.com/api"
CONTENT_SHOWN = 200


class UnexpectedStatus(Exception):
    """Raised by api functions when the response status an undocumented status and Client.raise_on_unexpected_status is True"""

    def __init__(self, status_code: int, content: bytes):
        self.status_code = status_code
        self.content = content

        super().__init__(
            f"Unexpected status code: {status_code}\n\nResponse content:\n{content.decode(errors='ignore')}"
        )


class UnexpectedResponse(Exception):
    """Raised by api functions when a response is not what the API documents for its status.

    Most often the client's base URL is wrong (its base path left out, say): the request then reaches another
    server, or another part of one, whose HTML page or 404 of its own cannot be read as this API's answer.
    """

    def __init__(self, response: httpx.Response, problem: Exception):
        self.status_code = response.status_code
        self.content = response.content
        self.url = str(response.request.url)
        content_type = response.headers.get("content-type", "no Content-Type")
        shown = response.content[:CONTENT_SHOWN].decode(errors="replace")
        super().__init__(
            f"{response.request.method} {self.url} answered {response.status_code} ({content_type}), which is not"
            f" the Nexudus Spaces API's documented answer"
            f" ({type(problem).__name__}: {problem}). Is the client's base_url right? Operations are relative to"
            f" the API's base URL, such as {DOCUMENTED_BASE_URL}.\n\nResponse content:\n{shown}"
        )


__all__ = ["UnexpectedResponse", "UnexpectedStatus"]
