from typing import Protocol

from warcio.statusandheaders import StatusAndHeaders

class _Stream(Protocol):
    # LimitReader, BufferedReader or ChunkedDataReader: all read(length=None).
    def read(self, length: int | None = None, /) -> bytes: ...

class ArcWarcRecord:
    format: str  # "warc", "arc" or "arc2warc"
    rec_type: str  # "response", "request", "warcinfo", ...
    rec_headers: StatusAndHeaders
    raw_stream: _Stream
    http_headers: StatusAndHeaders | None
    content_type: str | None
    length: int | None
    payload_length: int
    def content_stream(self) -> _Stream: ...
