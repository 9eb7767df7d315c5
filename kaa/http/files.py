"""A static-file handler: GET and HEAD of the files under a folder of the mounted vfs.

    http.route(addr(r), "GET", "/*", http_files.serve)      # the whole tree at /
    http.route(addr(r), "GET", "/static/", http_files.serve) # or under a prefix (req.rest)

The path after the route (req.rest) is percent-decoded and looked up under `root`
("" = the file system's root). A path with a "." or ".." segment, an empty segment
("a//b"), a NUL or a bad escape is refused with 400 before the file system sees it, so
no request reaches outside root (symbolic links resolve inside the one file system).
A folder is served as its index.html; asked for without its final "/", it answers 301
to the path with one (so the page's relative links work). Missing: 404. Answers carry
Content-Type (by extension), Content-Length and Last-Modified (the inode's mtime);
If-Modified-Since at or after it gives 304. Other methods get the router's 405.

The body is a BodySource over an open vfs handle: the connection reads the file
straight into its output buffer piece by piece and closes the handle when done, so a
file of any size is served in the connection's buffer. Open handles are few
(vfs.MAX_FILES): when none is free the answer is 503 with Retry-After.
"""

from kaa.lang import *
import kernel.fs.error as error
import kernel.fs.vfs as vfs
import kaa.http.date as http_date
import kaa.http.request as rq
import kaa.http.response as rs
from kernel.fs.error import Error
from kaa.http.request import Request
from kaa.http.response import BodySource, Response

MAX_PATH: Final = 1024              # bytes of a decoded path, root included
INDEX: Str = "index.html"

root: Str = ""                      # the served folder, without a final "/"


def serve(req: Ptr[Request], resp: Ptr[Response]) -> None:
    """The handler: the file (or folder index) at req.rest under root."""
    buf: Array[u8, 1024]
    n = file_path(req.rest, buf[0:MAX_PATH])
    if n < 0:
        rs.text(resp, 400, "400 Bad Request: not a path this server serves\n")
        return
    fd = vfs.open(Str(ptr=addr(buf[0]), len=u64(n)), vfs.READ)
    if fd == -Error.IS_DIR:
        if len(req.rest) > 0 and req.rest[len(req.rest) - 1] != 47:
            redirect_to_folder(req, resp)
            return
        n = append(buf[0:MAX_PATH], n, INDEX)
        fd = vfs.open(Str(ptr=addr(buf[0]), len=u64(n)), vfs.READ) if n > 0 else -Error.NAME_TOO_LONG
    if fd < 0:
        refuse(resp, fd)
        return
    send_file(req, resp, fd, Str(ptr=addr(buf[0]), len=u64(n)))


def file_path(rest: Str, out: Bytes) -> i64:
    """root + "/" + rest decoded into out: its length, or -1 if rest is refused."""
    n = append(out, 0, root)
    if n < 0 or n == len(out):
        return -1
    out[n] = 47                             # "/"
    n += 1
    d = rq.percent_decode(rest, out[n:len(out)])
    if d < 0 or not safe(out[n:n + d]):
        return -1
    return n + d


def safe(p: Bytes) -> bool:
    """No NUL, and no ".", ".." or empty segment (a trailing "/" is allowed)."""
    start = 0
    for i in range(len(p) + 1):
        if i < len(p) and p[i] == 0:
            return False
        if i == len(p) or p[i] == 47:
            seg = p[start:i]
            if len(seg) == 0 and i < len(p):
                return False
            if (len(seg) == 1 and seg[0] == 46) or (len(seg) == 2 and seg[0] == 46 and seg[1] == 46):
                return False
            start = i + 1
    return True


def append(out: Bytes, n: i64, s: Str) -> i64:
    """s copied to out[n:]: the new length, or -1 if it does not fit."""
    if n + len(s) > len(out):
        return -1
    for i in range(len(s)):
        out[n + i] = s[i]
    return n + len(s)


def redirect_to_folder(req: Ptr[Request], resp: Ptr[Response]) -> None:
    loc: Array[u8, 2100]                    # the path (at most the parser's 2048) and "/"
    n = append(loc[0:len(loc)], 0, req.path)
    n = append(loc[0:len(loc)], n, "/") if n >= 0 else -1
    if n < 0:
        rs.error(resp, 404)
        return
    rs.set_header(resp, "Location", Str(ptr=addr(loc[0]), len=u64(n)))
    rs.text(resp, 301, "301 Moved Permanently\n")


def refuse(resp: Ptr[Response], r: i64) -> None:
    """The answer to a failed open."""
    if r == -Error.NOT_FOUND or r == -Error.NOT_DIR or r == -Error.IS_DIR or r == -Error.NOT_SUPPORTED or \
            r == -Error.NAME_TOO_LONG:
        rs.error(resp, 404)
    elif r == -Error.TOO_MANY_OPEN:
        rs.error(resp, 503)
        rs.set_header(resp, "Retry-After", "1")
    else:
        print(f"http_files: {error.name(r)}")
        rs.error(resp, 500)


def send_file(req: Ptr[Request], resp: Ptr[Response], fd: i64, path: Str) -> None:
    """Answer with the open file fd (304 when the client's copy is current); the
    response takes the handle over and closes it."""
    st: vfs.Stat
    r = vfs.fstat(fd, addr(st))
    if r < 0:
        vfs.close(fd)
        refuse(resp, r)
        return
    src = BodySource(context=cast(Ptr[None], u64(fd)), length=i64(st.size), read=read_file, release=close_file)
    rs.send_source(resp, 200, content_type(path), addr(src))
    date: Array[u8, 32]
    w = Writer(buf=addr(date[0]), cap=len(date))
    http_date.format(addr(w), i64(st.mtime))
    rs.set_header(resp, "Last-Modified", w.text())
    since = http_date.parse(rq.header(req, "If-Modified-Since"))
    if since >= 0 and i64(st.mtime) <= since:
        resp.status = 304                   # the connection releases the source unread


def read_file(ctx: Ptr[None], into: Bytes) -> i64:
    return vfs.read(i64(cast(u64, ctx)), into)


def close_file(ctx: Ptr[None]) -> None:
    vfs.close(i64(cast(u64, ctx)))


# ---- content types ----------------------------------------------------------------------

def content_type(path: Str) -> Str:
    """The media type for a file name's extension (any case); octet-stream if unknown."""
    dot = len(path) - 1
    while dot >= 0 and path[dot] != 46 and path[dot] != 47:
        dot -= 1
    if dot < 0 or path[dot] != 46:
        return "application/octet-stream"
    ext = path[dot + 1:len(path)]
    if is_ext(ext, "html") or is_ext(ext, "htm"):
        return "text/html; charset=utf-8"
    if is_ext(ext, "css"):
        return "text/css; charset=utf-8"
    if is_ext(ext, "js") or is_ext(ext, "mjs"):
        return "text/javascript; charset=utf-8"      # RFC 9239
    if is_ext(ext, "json"):
        return "application/json"
    if is_ext(ext, "txt"):
        return "text/plain; charset=utf-8"
    if is_ext(ext, "png"):
        return "image/png"
    if is_ext(ext, "jpg") or is_ext(ext, "jpeg"):
        return "image/jpeg"
    if is_ext(ext, "gif"):
        return "image/gif"
    if is_ext(ext, "svg"):
        return "image/svg+xml"
    if is_ext(ext, "ico"):
        return "image/x-icon"
    if is_ext(ext, "wasm"):
        return "application/wasm"
    if is_ext(ext, "pdf"):
        return "application/pdf"
    return "application/octet-stream"


def is_ext(ext: Str, name: Str) -> bool:
    return rq.same_ignoring_case(ext, name)
