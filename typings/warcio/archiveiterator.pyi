from collections.abc import Iterator
from typing import Protocol

from warcio.recordloader import ArcWarcRecord

class _Input(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...

class ArchiveIterator(Iterator[ArcWarcRecord]):
    def __init__(
        self,
        fileobj: _Input,
        no_record_parse: bool = False,
        verify_http: bool = False,
        arc2warc: bool = False,
        ensure_http_headers: bool = False,
        block_size: int = ...,
        check_digests: bool = False,
    ) -> None: ...
    def __iter__(self) -> Iterator[ArcWarcRecord]: ...
    def __next__(self) -> ArcWarcRecord: ...
    def close(self) -> None: ...
    def get_record_offset(self) -> int: ...
    def get_record_length(self) -> int: ...
