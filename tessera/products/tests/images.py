"""Small uploaded files for image tests, made in memory."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def png(name: str = "mouse.png", size=(8, 8), image_format: str = "PNG",
        content_type: str = "image/png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


def not_an_image(name: str = "mouse.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", content_type="image/png")
