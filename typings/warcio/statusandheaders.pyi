from typing import TypeVar, overload

_T = TypeVar("_T")

class StatusAndHeaders:
    statusline: str
    headers: list[tuple[str, str]]
    protocol: str
    total_len: int
    def __init__(
        self,
        statusline: str,
        headers: list[tuple[str, str]],
        protocol: str = "",
        total_len: int = 0,
        is_http_request: bool = False,
    ) -> None: ...
    @overload
    def get_header(self, name: str) -> str | None: ...
    @overload
    def get_header(self, name: str, default_value: _T) -> str | _T: ...
    def get_statuscode(self) -> str: ...
    def __contains__(self, key: str) -> bool: ...
    def __bool__(self) -> bool: ...
