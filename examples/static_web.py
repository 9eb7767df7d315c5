"""A static web server: the files on the virtio disk, over HTTP on port 80.

    kaa run examples/static_web.py --disk site/ -p 8080:80          # site/ becomes an ext2 image
    curl http://127.0.0.1:8080/                                      # site/index.html
    curl -I http://127.0.0.1:8080/img/logo.png                       # HEAD: the head alone
    kaa run examples/static_web.py --disk site.img -p 8080:80 -- rw  # an image, mounted read-write

The disk is mounted read-only unless the command line says `rw` (nothing here writes,
and a read-only image is never left half-written when QEMU stops). Every request is
kaa/http/files.py's: the file at the path (a folder's index.html), with its
Content-Type, Content-Length and Last-Modified, 304 for If-Modified-Since, 404 when
missing, 400 for a path that tries to leave the tree, 405 for methods other than GET
and HEAD. Each connection has its own thread (kaa/http/server.py) and streams its file
through its own 64 KiB buffer, so many clients are served at once; the vfs lock
serialises their reads, and at most vfs.MAX_FILES files are open together (a request
finding none free gets 503 and Retry-After).
"""

from kaa.lang import *
import kernel.cmdline as cmdline
import kernel.drivers.virtio_blk as virtio_blk
import kernel.fs.error as error
import kernel.fs.vfs as vfs
import kaa.http.connection as http
import kaa.http.files as http_files
import kaa.http.server as httpd
import kernel.net.net as net

CACHE_BLOCKS: Final = 1024          # metadata and file tails; whole blocks bypass the cache


def main() -> i32:
    dev = virtio_blk.probe(0)
    if dev is None:
        print("static_web: no disk (kaa run --disk DIR|IMG)")
        return 1
    read_only = not cmdline.has("rw")
    r = vfs.mount_with(dev, None, CACHE_BLOCKS, read_only)
    if r < 0:
        print(f"static_web: cannot mount the disk: {error.name(r)}: {vfs.mount_error()}")
        return 2
    if not net.up():
        return 1
    router: http.Router
    http.route(addr(router), "GET", "/*", http_files.serve)
    port = u16(cmdline.int_value("port", 80))
    print(f"static_web: serving the disk ({'read-only' if read_only else 'read-write'}) on port {port}")
    if not httpd.serve(port, addr(router)):
        print(f"static_web: port {port} is taken")
        return 1
    return 0
