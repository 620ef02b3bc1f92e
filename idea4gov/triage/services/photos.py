"""Evidence photos: decoded to check the type, size-limited, re-encoded without EXIF, stored privately."""
from __future__ import annotations

import io
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

from idea4gov.ideas.services import ServiceError

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


def process(data: bytes) -> tuple[bytes, str, int, int]:
    """Decode, strip metadata and re-encode: (bytes, 'jpeg'|'png', width, height)."""
    if len(data) > current_app.config["PHOTO_MAX_BYTES"]:
        raise ServiceError("photo_too_large", field="photos", status=413)
    if not data:
        raise ServiceError("photo_empty", field="photos")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise ServiceError("photo_type", field="photos", status=415)
            if probe.width * probe.height > MAX_PIXELS:
                raise ServiceError("photo_too_large", field="photos", status=413)
            probe.verify()
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
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ServiceError("photo_type", field="photos", status=415) from None


def store(data: bytes) -> StoredPhoto:
    """Process and write one photo under UPLOAD_FOLDER with a random name."""
    encoded, kind, width, height = process(data)
    filename = f"{secrets.token_hex(16)}.{'jpg' if kind == 'jpeg' else 'png'}"
    path = os.path.join(upload_folder(), filename)
    with open(path, "wb") as handle:
        handle.write(encoded)
    return StoredPhoto(filename, f"image/{kind}", width, height, len(encoded))


def remove_files(filenames: list[str]) -> None:
    """Delete stored files again (the transaction that recorded them failed)."""
    for name in filenames:
        try:
            os.remove(os.path.join(upload_folder(), name))
        except OSError:
            pass


@contextmanager
def stored_photos(photos: list[bytes]) -> Iterator[list[StoredPhoto]]:
    """Store these photos (at most PHOTOS_PER_ANSWER) for the block that records them; if the block
    fails, their files are removed again (status answers, done projects, residents' confirmations)."""
    if len(photos) > current_app.config["PHOTOS_PER_ANSWER"]:
        raise ServiceError("too_many_photos", field="photos")
    stored: list[StoredPhoto] = []
    try:
        for data in photos:
            stored.append(store(data))
        yield stored
    except BaseException:
        remove_files([photo.filename for photo in stored])
        raise
