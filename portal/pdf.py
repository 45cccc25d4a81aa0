"""Render HTML to PDF with WeasyPrint, offline and tagged for accessibility.

Every app that prints (locality plans, highlight reports, paper survey forms) goes through
`render_pdf`, so the rules live in one place:

- nothing is fetched from the network: static files are read through the staticfiles finders
  or storage (hashed manifest names included) and media through the default storage; any other
  URL is refused;
- the PDF is tagged (PDF/UA-1 when the installed WeasyPrint offers it), with the document's
  title and language in its metadata, and its fonts are embedded (WeasyPrint always embeds
  the subset it uses);
- Python's cyclic garbage collector is paused while WeasyPrint works: its boxes are alive
  until the PDF is written, so the collections found little to free and took about a quarter
  of the render's time (benchmarks/plan_pdf.py); peak memory was the same.
"""

from __future__ import annotations

import gc
import mimetypes
import multiprocessing
import resource
import threading
from contextlib import contextmanager
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage
from django.template.loader import render_to_string

# A base URL that cannot resolve, so relative URLs in templates are never fetched from a host.
BASE_URL = "https://portal.invalid/"
PDF_UA = "pdf/ua-1"


def supports_pdf_ua() -> bool:
    """True when the installed WeasyPrint can write PDF/UA-1."""
    try:
        from weasyprint.pdf import VARIANTS
    except ImportError:  # pragma: no cover - very old WeasyPrint
        return False
    return PDF_UA in VARIANTS


def _local_path(url: str) -> str:
    path = unquote(urlsplit(url).path)
    if urlsplit(url).netloc not in ("", urlsplit(BASE_URL).netloc):
        raise ValueError(f"Refusing to fetch {url}: PDFs are rendered offline")
    return path


def read_local(url: str) -> tuple[bytes, str]:
    """The bytes and MIME type of a static or media URL, read from disk or storage."""
    path = _local_path(url)
    mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if path.startswith(settings.STATIC_URL):
        name = path[len(settings.STATIC_URL):]
        found = finders.find(name)
        if found:
            with open(found, "rb") as handle:
                return handle.read(), mime_type
        with staticfiles_storage.open(name) as handle:
            return handle.read(), mime_type
    if settings.MEDIA_URL and path.startswith(settings.MEDIA_URL):
        with default_storage.open(path[len(settings.MEDIA_URL):]) as handle:
            return handle.read(), mime_type
    raise ValueError(f"Refusing to fetch {url}: not a static or media file")


if hasattr(weasyprint, "URLFetcher"):

    class PortalURLFetcher(weasyprint.URLFetcher):
        """WeasyPrint's fetcher, limited to data: URLs and the portal's own files."""

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            body, mime_type = read_local(url)
            return weasyprint.urls.URLFetcherResponse(
                url, body, headers={"Content-Type": mime_type})

    def _fetcher():
        return PortalURLFetcher(allowed_protocols={"data", "https", "http"})

else:  # pragma: no cover - WeasyPrint before 68 takes a function returning a dict

    def _fetcher():
        def fetch(url):
            if url.startswith("data:"):
                return weasyprint.default_url_fetcher(url)
            body, mime_type = read_local(url)
            return {"string": body, "mime_type": mime_type}

        return fetch


_gc_lock = threading.Lock()
_gc_pauses = {"count": 0, "was_enabled": False}


@contextmanager
def garbage_collection_paused():
    """Pause the cyclic garbage collector for the block; with renders in several threads at
    once, the last one to finish turns it back on (if it was on before the first began)."""
    with _gc_lock:
        if not _gc_pauses["count"]:
            _gc_pauses["was_enabled"] = gc.isenabled()
            gc.disable()
        _gc_pauses["count"] += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses["count"] -= 1
            if not _gc_pauses["count"] and _gc_pauses["was_enabled"]:
                gc.enable()


def render_pdf(html: str, *, title: str, language: str, stylesheets=None,
               info: dict | None = None) -> bytes:
    """The PDF for `html` (A4 and print CSS come from the template), tagged, titled and
    in `language`. Pass a dict as `info` to get the number of pages back in it."""
    options = {"custom_metadata": True, "pdf_tags": True}
    if supports_pdf_ua():
        options["pdf_variant"] = PDF_UA
    with garbage_collection_paused():
        document = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=_fetcher())
        rendered = document.render(stylesheets=stylesheets, **options)
        rendered.metadata.title = str(title)
        rendered.metadata.lang = language
        if info is not None:
            info["pages"] = len(rendered.pages)
        return rendered.write_pdf(**options)


def render_template_pdf(template_name: str, context: dict, *, title: str, language: str,
                        request=None) -> bytes:
    """Render a Django template to HTML, then to PDF with `render_pdf`."""
    html = render_to_string(template_name, context, request=request)
    return render_pdf(html, title=title, language=language)


class RenderTimeout(Exception):
    """A render that went past its time limit (it was stopped)."""


class RenderOutOfMemory(Exception):
    """A render that needed more memory than its cap (it was stopped)."""


def _address_space() -> int | None:
    """This process's address space in bytes (Linux), or None where it cannot be read."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * resource.getpagesize()
    except (OSError, ValueError, IndexError):  # pragma: no cover - not Linux
        return None


_cap_bytes: int | None = None  # the child's cap, once set


def _fork_base() -> int:
    """The address space the child starts from (what it inherited from the worker)."""
    return _address_space() or 0


def _cap_memory(megabytes: int | None) -> None:
    """Let this (forked) process's address space grow by at most `megabytes` beyond what it
    inherited, so a render that grows too big fails on its own. Counted from the fork rather
    than from zero: a worker's own address space (its libraries, fonts mapped by fontconfig,
    thread stacks) differs from one deployment to another and is not the render's doing."""
    global _cap_bytes
    if megabytes:
        _cap_bytes = _fork_base() + int(megabytes) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (_cap_bytes, resource.RLIM_INFINITY))


def _near_memory_cap(megabytes: int | None) -> bool:
    """True when this process uses most of its allowance: a failed allocation in a C library
    (Pango, cffi) surfaces as some other error than MemoryError."""
    if not megabytes or _cap_bytes is None:
        return False
    size = _address_space()
    allowance = int(megabytes) * 1024 * 1024
    return size is not None and size >= _cap_bytes - 0.2 * allowance


def _render_in_child(connection, html, title, language, memory_mb=None):
    try:
        _cap_memory(memory_mb)
        info: dict = {}
        content = render_pdf(html, title=title, language=language, info=info)
        connection.send(("ok", content, info.get("pages")))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which decides
        resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY,) * 2)  # room to report
        if isinstance(exc, MemoryError) or _near_memory_cap(memory_mb):
            connection.send(("memory", "", None))
        else:
            connection.send(("error", f"{type(exc).__name__}: {exc}", None))
    finally:
        connection.close()


def render_pdf_within(seconds: float, html: str, *, title: str, language: str,
                      info: dict | None = None, memory_mb: int | None = None) -> bytes:
    """`render_pdf`, stopped after `seconds` (RenderTimeout) or when it needs more than
    `memory_mb` megabytes of address space (RenderOutOfMemory).

    WeasyPrint cannot be interrupted from inside, so the render runs in a forked child process
    whose address space is capped (RLIMIT_AS, counted from the worker it is forked from) and
    that is killed at the deadline; the HTML is built beforehand, so the child needs no
    database. With neither limit (or where fork is unavailable) it renders in this process.
    """
    if not (seconds or memory_mb) or "fork" not in multiprocessing.get_all_start_methods():
        return render_pdf(html, title=title, language=language, info=info)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_render_in_child,
                            args=(sender, html, title, language, memory_mb), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(seconds or None):
            raise RenderTimeout(f"The render took longer than {seconds:g} seconds and was "
                                "stopped.")
        try:
            outcome, payload, pages = receiver.recv()
        except EOFError as exc:  # the child died without a word (killed, out of memory)
            raise RuntimeError("The render process ended without a result (it may have run "
                               "out of memory).") from exc
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if outcome == "memory":
        raise RenderOutOfMemory(f"The render needed more than {memory_mb} MB of memory and was "
                                "stopped.")
    if outcome != "ok":
        raise RuntimeError(payload)
    if info is not None:
        info["pages"] = pages
    return payload
