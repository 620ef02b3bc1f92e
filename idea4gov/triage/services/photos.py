"""Evidence photos: checked in the officer's request, re-encoded without EXIF by the worker.

The request only reads the image's header and checks its integrity (`accept`): type, size,
pixels. The upload is kept under UPLOAD_FOLDER/incoming/ (never served) and recorded with
`processed_at` unset; after the commit the background worker (`process_job`) decodes it,
turns it by its EXIF orientation, scales it to MAX_SIDE, re-encodes it as JPEG or PNG without
metadata, stores it under a new random name and sets `processed_at`. Until then the idea page
says the photo is being prepared and /photos/<id> answers 404.

No file outlives a transaction that failed: files written in a transaction are staged on its
session and deleted if it rolls back (`stage`), in the request and in the worker alike.
"""
from __future__ import annotations

import io
import logging
import os
import secrets
import warnings
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy.orm import Session

from idea4gov.ideas.services import ServiceError

log = logging.getLogger(__name__)
INCOMING = "incoming"
_STAGED = "idea4gov_staged_files"

#: What Pillow may decode (anything else is refused, whatever its name says).
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
#: Longest side kept; larger photos are scaled down (a phone photo is 4000 px and 5 MB).
MAX_SIDE = 2000
#: Refuse decompression bombs long before Pillow's own limit.
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class StoredPhoto:
    filename: str
    content_type: str
    width: int
    height: int
    size_bytes: int


def upload_folder() -> str:
    folder = current_app.config["UPLOAD_FOLDER"]
    os.makedirs(folder, exist_ok=True)
    return folder


def accept(data: bytes) -> None:
    """The checks the officer waits for: size, type and integrity from the header, no decoding."""
    if len(data) > current_app.config["PHOTO_MAX_BYTES"]:
        raise ServiceError("photo_too_large", field="photos", status=413)
    if not data:
        raise ServiceError("photo_empty", field="photos")
    try:
        with warnings.catch_warnings():
            # Pillow warns past MAX_IMAGE_PIXELS and refuses past twice that: both mean "too large".
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
        with probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise ServiceError("photo_type", field="photos", status=415)
            if probe.width * probe.height > MAX_PIXELS:
                raise ServiceError("photo_pixels", field="photos", status=413)
            probe.verify()
    except ServiceError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ServiceError("photo_pixels", field="photos", status=413) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ServiceError("photo_type", field="photos", status=415) from None


def process(data: bytes) -> tuple[bytes, str, int, int]:
    """Decode, strip metadata and re-encode: (bytes, 'jpeg'|'png', width, height)."""
    accept(data)
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            source_format = image.format
            # Turn by the EXIF orientation first: the EXIF itself is dropped below.
            image = ImageOps.exif_transpose(image)
            keep_alpha = image.mode in ("RGBA", "LA", "P", "PA") and source_format != "JPEG"
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            output = io.BytesIO()
            if keep_alpha:
                image = image.convert("RGBA")
                image.save(output, format="PNG", optimize=True)
                kind = "png"
            else:
                image = image.convert("RGB")
                image.save(output, format="JPEG", quality=85, optimize=True)
                kind = "jpeg"
            return output.getvalue(), kind, image.width, image.height
    except ServiceError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ServiceError("photo_pixels", field="photos", status=413) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ServiceError("photo_type", field="photos", status=415) from None


def stage(session: Session, path: str) -> None:
    """`path` was written for this session's transaction: delete it if the transaction rolls back."""
    session.info.setdefault(_STAGED, []).append(path)


def _write(session: Session, folder: str, name: str, data: bytes) -> str:
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name)
    stage(session, path)  # staged first: a failed write leaves nothing either
    with open(path, "wb") as handle:
        handle.write(data)
    return name


def store_upload(session: Session, data: bytes) -> StoredPhoto:
    """Check an upload and keep it, as uploaded, under incoming/ for the worker."""
    accept(data)
    with Image.open(io.BytesIO(data)) as probe:
        width, height = probe.size
    name = _write(session, os.path.join(upload_folder(), INCOMING), f"{secrets.token_hex(16)}.upload", data)
    return StoredPhoto(name, "", width, height, len(data))


def store(data: bytes, session: Session | None = None) -> StoredPhoto:
    """Process and write one photo under UPLOAD_FOLDER with a random name."""
    from idea4gov.extensions import db

    encoded, kind, width, height = process(data)
    name = _write(session or db.session, upload_folder(), f"{secrets.token_hex(16)}.{'jpg' if kind == 'jpeg' else 'png'}",
                  encoded)
    return StoredPhoto(name, f"image/{kind}", width, height, len(encoded))


def remove_files(filenames: list[str]) -> None:
    """Delete stored files again (the transaction that recorded them failed)."""
    for name in filenames:
        try:
            os.remove(os.path.join(upload_folder(), name))
        except OSError:
            pass


def _remove_paths(paths: list[str]) -> None:
    for path in paths:
        try:
            os.remove(path)
        except OSError:
            pass


_TO_PROCESS = "idea4gov_photos_to_process"


def process_after_commit(session: Session, photo_ids: list[int]) -> None:
    """Hand these uploads to the background worker once the transaction that recorded them commits."""
    session.info.setdefault(_TO_PROCESS, []).extend(photo_ids)


@sa.event.listens_for(Session, "after_commit")
def _keep_staged(session: Session) -> None:
    from flask import has_app_context

    from idea4gov import jobs

    session.info.pop(_STAGED, None)
    photo_ids = session.info.pop(_TO_PROCESS, [])
    if photo_ids and has_app_context():
        jobs.run_in_background(process_job, photo_ids)


@sa.event.listens_for(Session, "after_transaction_end")
def _drop_staged(session: Session, transaction) -> None:  # noqa: ANN001
    """The transaction ended without committing (rolled back, failed, or the session was closed):
    its files go too."""
    if transaction.parent is None:
        _remove_paths(session.info.pop(_STAGED, []))
        session.info.pop(_TO_PROCESS, None)


# --- the worker's part ---------------------------------------------------------------------------

def process_job(photo_ids: list[int]) -> int:
    """Re-encode these uploads (in the background worker); returns how many were made ready."""
    from flask import has_app_context

    if not has_app_context():
        from idea4gov import create_app

        with create_app().app_context():
            return process_job(photo_ids)
    return sum(_process_one(photo_id) for photo_id in photo_ids)


def _process_one(photo_id: int) -> bool:
    from idea4gov.extensions import db
    from idea4gov.timeutil import utcnow
    from idea4gov.triage.models import EvidencePhoto

    with Session(db.engine) as session:
        photo = session.get(EvidencePhoto, photo_id)
        if photo is None or photo.processed_at is not None:
            return False
        incoming = os.path.join(upload_folder(), INCOMING, photo.filename)
        try:
            with open(incoming, "rb") as handle:
                stored = store(handle.read(), session)
        except (OSError, ServiceError) as error:
            # Checked in the request, so this is rare (a truncated file, a full disk): drop the photo.
            log.error("evidence photo %s could not be processed (%s); removed", photo_id, error)
            session.delete(photo)
            session.commit()
            _remove_paths([incoming])
            return False
        photo.filename, photo.content_type = stored.filename, stored.content_type
        photo.width, photo.height, photo.size_bytes = stored.width, stored.height, stored.size_bytes
        photo.processed_at = utcnow()
        session.commit()
    _remove_paths([incoming])
    return True
