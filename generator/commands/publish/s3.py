"""``s3://bucket/prefix``: AWS S3 or any S3-compatible store (Cloudflare R2, Backblaze B2, MinIO, SeaweedFS).

What the bucket has comes from the object listing: a single-part upload's
ETag is its MD5; a multipart one's is not, so every upload also stores its
MD5 in the object's metadata, and that is read for those. Credentials are
boto3's own (environment, shared config and profiles, instance roles).
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from generator.commands.publish import Advance, Manifest, Plan, PublishError, compare
from generator.commands.publish.manifest import md5_of
from generator.common.config import PublishTarget
from generator.common.content_types import content_type
from generator.render.hosting import cache_control

MULTIPART_THRESHOLD = 16 * 1024 * 1024
UPLOADERS = 8  # files in flight at once: a site is mostly small files, each a round trip
DELETE_BATCH = 1000  # the most one DeleteObjects request takes


class S3Target:
    def __init__(self, options: PublishTarget, out_path: Path) -> None:
        try:
            import boto3
            from boto3.s3.transfer import TransferConfig
            from botocore.config import Config
        except ImportError:
            raise PublishError("publishing to S3 needs boto3: pip install 'backissue[s3]'") from None
        parts = urlsplit(options.url)
        if not parts.netloc:
            raise PublishError(f"{options.url!r}: an S3 target is s3://bucket/prefix")
        self.bucket, self.prefix = parts.netloc, parts.path.strip("/") + "/" if parts.path.strip("/") else ""
        self.out_path = out_path
        self.description = options.url + (f" at {options.endpoint_url}" if options.endpoint_url else "")
        style = {"addressing_style": "path"} if options.endpoint_url else {}
        with _errors(self.description):
            self.client = boto3.session.Session().client(
                "s3", endpoint_url=options.endpoint_url or None, region_name=options.region or None,
                config=Config(s3=style, retries={"max_attempts": 3}),
            )  # fmt: skip
        self.md5s: dict[str, str] = {}
        self.transfer = TransferConfig(multipart_threshold=MULTIPART_THRESHOLD, use_threads=False)

    def plan(self, local: Manifest) -> Plan:
        remote: dict[str, str | None] = {}
        with _errors(self.description):
            pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
            for page in pages:
                for item in page.get("Contents", []):
                    relative = item["Key"][len(self.prefix) :]
                    if relative and not relative.endswith("/"):
                        remote[relative] = self._md5(item["Key"], item["ETag"].strip('"'))
        return compare(local, remote, self._local_md5)

    def _local_md5(self, relative: str) -> str:
        """A built file's MD5, worked out once: the plan compares it, the upload stores it."""
        if relative not in self.md5s:
            self.md5s[relative] = md5_of(self.out_path / relative)
        return self.md5s[relative]

    def _md5(self, key: str, etag: str) -> str | None:
        if "-" not in etag:
            return etag
        return self.client.head_object(Bucket=self.bucket, Key=key).get("Metadata", {}).get("md5")

    def apply(self, plan: Plan, local: Manifest, advance: Advance) -> None:
        """Uploads, several at a time, then deletions (so no page links to a file not there yet)."""
        with _errors(self.description), ThreadPoolExecutor(UPLOADERS) as pool:
            running = {pool.submit(self._upload, path, self._local_md5(path)): path for path in plan.transfers}
            try:
                while running:
                    done, _pending = wait(running, return_when=FIRST_COMPLETED)
                    for future in done:
                        future.result()
                        advance(local[running.pop(future)])
            finally:
                pool.shutdown(cancel_futures=True)
            for start in range(0, len(plan.delete), DELETE_BATCH):
                self._delete(plan.delete[start : start + DELETE_BATCH])

    def _upload(self, relative: str, md5: str) -> None:
        extra = {
            "ContentType": content_type(relative),
            "CacheControl": cache_control(relative),
            "Metadata": {"md5": md5},
        }
        self.client.upload_file(
            str(self.out_path / relative), self.bucket, self.prefix + relative, ExtraArgs=extra, Config=self.transfer
        )

    def _delete(self, paths: list[str]) -> None:
        objects = [{"Key": self.prefix + path} for path in paths]
        answer = self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": objects, "Quiet": True})
        if answer.get("Errors"):
            first = answer["Errors"][0]
            raise PublishError(
                f"{self.description}: could not delete {first['Key']}: {first.get('Message', first.get('Code'))}"
            )


@contextmanager
def _errors(description: str) -> Iterator[None]:
    """boto3's exceptions as one clear line; they never carry the secret key."""
    from boto3.exceptions import Boto3Error
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

    try:
        yield
    except NoCredentialsError:
        raise PublishError(
            f"{description}: no S3 credentials; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or AWS_PROFILE"
        ) from None
    except ClientError as error:
        info = error.response.get("Error", {})
        code, message = info.get("Code", "error"), info.get("Message", "")
        hint = (
            "; check the access key and secret"
            if code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied")
            else ""
        )
        raise PublishError(f"{description}: {error.operation_name} refused: {code} {message}{hint}") from None
    except (BotoCoreError, Boto3Error) as error:
        raise PublishError(f"{description}: {error}") from None
