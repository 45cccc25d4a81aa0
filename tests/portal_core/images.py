"""Hostile and ordinary image files for the upload tests."""

import io
import struct
import zlib

from PIL import ExifTags, Image

APPENDED = b"<html><script>alert(document.cookie)</script></html>"


def png_bytes(size=(40, 30), colour="#1d70b8", text=None) -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    if text:
        info.add_text("Comment", text)
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def jpeg_with_gps(size=(40, 30)) -> bytes:
    """A JPEG whose EXIF says where it was taken and that it must be turned 90° to view."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6  # rotate 90° clockwise to display
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 32.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 14.0, 51.2)
    buffer = io.BytesIO()
    Image.new("RGB", size, "#00703c").save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims huge dimensions: a decompression bomb's first bytes."""
    data = bytearray(png_bytes((1, 1)))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100,
                   loop=0)
    return buffer.getvalue()


def noisy_png(size=(200, 200)) -> bytes:
    """A PNG that does not compress away, so cutting it short loses image data."""
    import os

    buffer = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(buffer, "PNG")
    return buffer.getvalue()


def still_gif(comment=b"") -> bytes:
    buffer = io.BytesIO()
    Image.new("P", (20, 20), 1).save(buffer, "GIF", comment=comment)
    return buffer.getvalue()
