"""The two file storages upload tests run against, so that both behave alike: a directory, and
a bucket of moto's standalone S3 server (a real S3 endpoint over HTTP, started once a session
on a free port of 127.0.0.1). A test asks for `storage` to run on both, for `bucket` to run on
S3 alone; its settings take `storage.settings`."""

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiobotocore.session import get_session
from pydantic import SecretStr

PREFIX = "uploads"
CREDENTIALS = {
    "aws_access_key_id": "testing",
    "aws_secret_access_key": SecretStr("testing"),
    "aws_region": "us-east-1",
}


class Directory:
    """Files under `tmp_path/uploads`; locations are paths relative to `tmp_path`."""

    name = "directory"

    def __init__(self, root: Path) -> None:
        self.root = root
        self.settings: dict[str, Any] = {"upload_dir": str(root / PREFIX)}

    async def stored(self) -> list[str]:
        """Where the uploads' files are."""
        return [name for name in await self.everything() if name.startswith(f"{PREFIX}/")]

    async def everything(self) -> list[str]:
        """Every file anywhere the test could have written one."""
        files = (path for path in self.root.rglob("*") if path.is_file())
        return sorted(path.relative_to(self.root).as_posix() for path in files)

    async def read(self, location: str) -> bytes:
        return (self.root / location).read_bytes()

    async def remove(self, location: str) -> None:
        (self.root / location).unlink()


class Bucket:
    """Objects of a fresh bucket, the uploads under `uploads/`; locations are keys."""

    name = "s3"

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self.bucket = f"test-{secrets.token_hex(8)}"
        self.settings: dict[str, Any] = {
            "upload_storage": f"s3://{self.bucket}/{PREFIX}/",
            "upload_s3_endpoint_url": endpoint,
            **CREDENTIALS,
        }

    def client(self) -> Any:
        secret = CREDENTIALS["aws_secret_access_key"]
        assert isinstance(secret, SecretStr)
        return get_session().create_client(
            "s3",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key=secret.get_secret_value(),
        )

    async def create(self) -> None:
        async with self.client() as s3:
            await s3.create_bucket(Bucket=self.bucket)

    async def stored(self) -> list[str]:
        return [key for key in await self.everything() if key.startswith(f"{PREFIX}/")]

    async def everything(self) -> list[str]:
        async with self.client() as s3:
            listed = await s3.list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    async def read(self, location: str) -> bytes:
        async with self.client() as s3:
            got = await s3.get_object(Bucket=self.bucket, Key=location)
            async with got["Body"] as body:
                return bytes(await body.read())

    async def remove(self, location: str) -> None:
        async with self.client() as s3:
            await s3.delete_object(Bucket=self.bucket, Key=location)

    async def head(self, location: str) -> dict[str, Any]:
        async with self.client() as s3:
            return dict(await s3.head_object(Bucket=self.bucket, Key=location))

    async def unfinished_uploads(self) -> list[str]:
        """Keys of multipart uploads begun and neither completed nor aborted."""
        async with self.client() as s3:
            listed = await s3.list_multipart_uploads(Bucket=self.bucket)
        return [item["Key"] for item in listed.get("Uploads", [])]


Storage = Directory | Bucket


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
async def bucket(s3_endpoint: str) -> Bucket:
    made = Bucket(s3_endpoint)
    await made.create()
    return made


@pytest.fixture(params=["directory", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    if request.param == "directory":
        return Directory(tmp_path)
    made: Bucket = request.getfixturevalue("bucket")
    return made
