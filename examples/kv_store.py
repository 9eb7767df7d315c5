"""A persistent key-value HTTP service: http_api's store, kept on the virtio disk.

    kaa disk make empty/ kv.img --size 256                    # once: an empty ext2 image
    kaa run examples/kv_store.py --disk kv.img -p 8080:80
    curl -X PUT --data-binary 'world' http://127.0.0.1:8080/kv/hello     # 201 (200 when replaced)
    curl http://127.0.0.1:8080/kv/hello                                  # world, after any reboot
    curl -X DELETE http://127.0.0.1:8080/kv/hello                        # 204
    curl http://127.0.0.1:8080/stats                                     # {"keys":0,...}

On disk: one append-only log, /kv.log, of records

    0  u32 CRC-32 of bytes 4.. of the record      8  u32 value length (0 for a delete)
    4  u8  kind: 1 put, 2 delete                  12 the key, then the value
    5  u8  key length (1..128)    6  u16 zero

(little-endian). At boot the log is replayed into memory (the table and the values
live in RAM: GETs never touch the disk). Replay stops at the first record that is
incomplete or fails its CRC, the tail a crash cut short, and cuts the log there so new
records follow whole ones. When the log holds more dead bytes (replaced or deleted
records) than live ones, and at least compact_min (1 MiB), it is compacted: the live
records go to /kv.log.new, which is synced and renamed over /kv.log (a crash before the
rename leaves the old log, and boot removes the stray new one).

Durability: a PUT or DELETE is answered only after its record is written and the
block cache synced (the blocks written, then the disk's cache flushed), and the memory
table changes only then, so every acknowledged write survives a power cut and a GET
never sees a write that might not. Writes are serialised by one lock, so each costs
one sync (about three device requests: the log's block, its inode's block, a flush);
under TCG on this machine 10,000 PUTs of ~120 bytes over one keep-alive connection
took about 3 s, syncs included, so there is no batching window: acknowledged means
on the disk. There is no clean-shutdown path to wait for either: `kaa run` stops QEMU
with QMP `quit` and the kernel has no power-button handling, so the file system stays
marked mounted, yet consistent between requests (e2fsck -fn finds no errors). ext2 has
no journal: a power cut in the middle of a sync can leave e2fsck work to do, but not
lose an acknowledged record. A failed write (disk full: 507) cuts the log back to its
last whole record; a failed sync stops all writes (503): what is on the disk is then
unknown.

Values take memory: at most max_bytes (default: half the free memory at boot, less
32 MiB), else 507. Keys are up to 128 bytes of the path after /kv/ (as received).
"""

from kaa.lang import *
import kernel.cmdline as cmdline
import kernel.drivers.virtio_blk as virtio_blk
import kernel.fs.error as error
import kernel.fs.vfs as vfs
import kernel.lib.crc32 as crc32
import kaa.http.connection as http
import kaa.http.json_writer as json
import kernel.lib.table as table
import kernel.mm.pages as pages
import kaa.http.server as httpd
import kernel.net.net as net
import kernel.threads as threads
from kernel.fs.error import Error

LOG: Str = "/kv.log"
NEW_LOG: Str = "/kv.log.new"
SLOTS: Final = 32768                # a power of two; at most SLOTS * 3 / 4 keys
MAX_VALUE: Final = 65536            # (httpd's 16 KiB input buffer bounds a body first)
HEADER: Final = 12
MAX_RECORD: Final = HEADER + table.MAX_KEY + MAX_VALUE
PUT_RECORD: Final = 1
DELETE_RECORD: Final = 2
REPLAY_CHUNK: Final = 262144
ENTRY_OVERHEAD: Final = 64          # what a value costs the heap beyond its bytes, about
CACHE_BLOCKS: Final = 1024

store: table.Table                  # the keys and values (a copy of each value in the heap)
record: Slice[u8]                   # the record being written (under the lock)
log_fd: i64 = -1
log_end: i64 = 0                    # bytes of whole records in the log
live_bytes: i64 = 0                 # bytes of the records that hold the live keys
max_bytes: i64 = 0
compact_min: i64 = 1 << 20
compactions: u64 = 0
gets: u64 = 0
puts: u64 = 0
deletes: u64 = 0
broken: Str = ""                    # why writes are refused, "" while they work
mutex: threads.Mutex                # serialises writes (held across the sync)


def lock() -> None:
    threads.acquire(addr(mutex))


def unlock() -> None:
    threads.release(addr(mutex))


# ---- the table's bookkeeping ------------------------------------------------------------

def memory_used() -> i64:
    """What the values cost, against max_bytes."""
    return store.value_bytes + store.keys * ENTRY_OVERHEAD


def record_size(key_len: i64, value_len: i64) -> i64:
    return HEADER + key_len + value_len


def set_value(e: Ptr[table.Entry], key: Bytes, value: Bytes) -> bool:
    """Store value under key in e (from table.slot_for); True if the key is new."""
    global live_bytes
    if e.state == table.USED:
        live_bytes -= record_size(len(key), len(e.value))
    live_bytes += record_size(len(key), len(value))
    return table.store(addr(store), e, key, value)


def remove(e: Ptr[table.Entry]) -> None:
    global live_bytes
    live_bytes -= record_size(i64(e.key_len), len(e.value))
    table.remove(addr(store), e)


# ---- the log ------------------------------------------------------------------------------

def put32(p: Bytes, at: i64, v: u32) -> None:
    for i in range(4):
        p[at + i] = u8(v >> u32(8 * i))


def get32(p: Bytes, at: i64) -> u32:
    return u32(p[at]) | (u32(p[at + 1]) << 8) | (u32(p[at + 2]) << 16) | (u32(p[at + 3]) << 24)


def encode(kind: u8, key: Bytes, value: Bytes) -> Bytes:
    """The record in the record buffer."""
    n = record_size(len(key), len(value))
    r = record[0:n]
    r[4] = kind
    r[5] = u8(len(key))
    r[6] = 0
    r[7] = 0
    put32(r, 8, u32(len(value)))
    for i in range(len(key)):
        r[HEADER + i] = key[i]
    for i in range(len(value)):
        r[HEADER + len(key) + i] = value[i]
    put32(r, 0, crc32.update(0, r[4:n]))
    return r


def append(kind: u8, key: Bytes, value: Bytes) -> u16:
    """Append a record and sync: 0 once it is on the disk, else the status to answer."""
    global log_end, broken
    r = encode(kind, key, value)
    n = vfs.write(log_fd, r)
    if n != len(r):
        # Nothing was acknowledged: cut a partial record off so later ones follow whole ones.
        if vfs.truncate(log_fd, u64(log_end)) < 0:
            broken = "the log could not be cut back after a failed write"
        print(f"kv_store: writing the log: {error.name(n) if n < 0 else 'short write'}")
        return 507 if n == -Error.NO_SPACE or n == -Error.FILE_TOO_BIG else 500
    s = vfs.sync()
    if s < 0:
        broken = "a sync failed: what is on the disk is unknown"
        print(f"kv_store: sync: {error.name(s)}")
        return 500
    log_end += len(r)
    return 0


def replay() -> i64:
    """Read the log into the table; cut a torn tail off. 0, or -Error."""
    global log_end
    buf = new_array(u8, REPLAY_CHUNK + MAX_RECORD)
    have: i64 = 0                       # bytes in buf, from file offset log_end
    at_end = False
    while True:
        used = replay_records(buf[0:have])
        log_end += used
        for i in range(have - used):    # keep an incomplete record's start for the next read
            buf[i] = buf[used + i]
        have -= used
        if at_end or have >= MAX_RECORD:
            break                       # the end, or a bad record (a whole one would have fit)
        n = vfs.read(log_fd, buf[have:have + REPLAY_CHUNK])
        if n < 0:
            free(buf)
            return n
        at_end = n == 0
        have += n
    free(buf)
    st: vfs.Stat
    r = vfs.fstat(log_fd, addr(st))
    if r == 0 and i64(st.size) > log_end and len(broken) == 0:
        print(f"kv_store: the log's last {i64(st.size) - log_end} bytes are not a whole record: cut off")
        r = vfs.truncate(log_fd, u64(log_end))
        if r == 0:
            r = vfs.sync()
    return r


def replay_records(b: Bytes) -> i64:
    """Apply the whole, valid records at the start of b; the bytes they took."""
    pos: i64 = 0
    while len(b) - pos >= HEADER:
        key_len = i64(b[pos + 5])
        value_len = i64(get32(b, pos + 8))
        kind = b[pos + 4]
        if key_len == 0 or key_len > table.MAX_KEY or value_len > MAX_VALUE or (kind != PUT_RECORD and
                                                                           kind != DELETE_RECORD):
            return pos
        n = record_size(key_len, value_len)
        if len(b) - pos < n:
            return pos
        if crc32.update(0, b[pos + 4:pos + n]) != get32(b, pos):
            return pos
        key = b[pos + HEADER:pos + HEADER + key_len]
        if not apply(kind, key, b[pos + HEADER + key_len:pos + n]):
            return pos
        pos += n
    return pos


def apply(kind: u8, key: Bytes, value: Bytes) -> bool:
    """One replayed record; False if the table is full (the rest of the log is not read)."""
    if kind == DELETE_RECORD:
        e = table.find(addr(store), key)
        if e is not None:
            remove(e)
        return True
    global broken
    e = table.slot_for(addr(store), key)
    if e is None or (e.state != table.USED and table.full(addr(store))):
        broken = "the table is full: the log's rest was not read"
        print(f"kv_store: {broken}")
        return False
    set_value(e, key, value)
    return True


def open_log() -> i64:
    global log_fd
    log_fd = vfs.open(LOG, vfs.READ | vfs.WRITE | vfs.CREATE | vfs.APPEND)
    return log_fd


def maybe_compact() -> None:
    """Rewrite the log with only the live records, if it is mostly dead ones."""
    global log_end, compactions, broken
    dead = log_end - live_bytes
    if dead < compact_min or dead < live_bytes:
        return
    fd = vfs.open(NEW_LOG, vfs.WRITE | vfs.CREATE | vfs.TRUNCATE)
    written: i64 = 0
    r = fd
    i = 0
    while r >= 0 and i < len(store.slots):
        e = addr(store.slots[i])
        if e.state == table.USED:
            rec = encode(PUT_RECORD, table.key_of(e), e.value)
            r = vfs.write(fd, rec)
            if r >= 0 and r != len(rec):
                r = -Error.NO_SPACE
            written += len(rec)
        i += 1
    if fd >= 0:
        vfs.close(fd)
    if r >= 0:
        r = vfs.sync()                  # the new log is whole on the disk before it replaces the old
    if r < 0:
        print(f"kv_store: compaction failed ({error.name(r)}); the old log stays")
        vfs.unlink(NEW_LOG)
        return
    vfs.close(log_fd)
    r = vfs.rename(NEW_LOG, LOG)
    if r == 0:
        r = vfs.sync()
    if r < 0 or open_log() < 0:
        broken = "the log could not be replaced after a compaction"
        print(f"kv_store: {broken}: {error.name(r)}")
        return
    log_end = written
    compactions += 1


# ---- the service ----------------------------------------------------------------------------

def key_of(req: Ptr[http.Request]) -> Bytes:
    return req.rest.bytes()


def valid_key(key: Bytes) -> bool:
    return 0 < len(key) <= table.MAX_KEY


def get(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    global gets
    gets += 1
    key = key_of(req)
    e = table.find(addr(store), key)
    if e is None:
        http.error(resp, 404)
        return
    http.send_bytes(resp, 200, "application/octet-stream", e.value)


def refuse_writes(resp: Ptr[http.Response]) -> bool:
    """503 if writes stopped (a failed sync); checked under the lock."""
    if len(broken) == 0:
        return False
    http.text(resp, 503, "writes are stopped: see the console\n")
    return True


def put(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    global puts
    key = key_of(req)
    if not valid_key(key):
        http.text(resp, 400, "a key is 1 to 128 bytes\n")
        return
    if len(req.body) > MAX_VALUE:
        http.error(resp, 413)
        return
    lock()
    if refuse_writes(resp):
        unlock()
        return
    e = table.slot_for(addr(store), key)
    if e is None or (e.state != table.USED and table.full(addr(store))):
        http.text(resp, 507, "the store is full (keys)\n")
    elif memory_used() + len(req.body) + ENTRY_OVERHEAD > max_bytes:
        http.text(resp, 507, "the store is full (memory)\n")
    else:
        status = append(PUT_RECORD, key, req.body)
        if status != 0:
            http.error(resp, status)
        else:
            created = set_value(e, key, req.body)
            puts += 1
            http.text(resp, 201 if created else 200, "created\n" if created else "replaced\n")
            maybe_compact()
    unlock()


def delete(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    global deletes
    key = key_of(req)
    lock()
    e = table.find(addr(store), key)
    if refuse_writes(resp):
        pass
    elif e is None:
        http.error(resp, 404)
    else:
        status = append(DELETE_RECORD, key, Bytes(ptr=None, len=0))
        if status != 0:
            http.error(resp, status)
        else:
            remove(e)
            deletes += 1
            resp.status = 204
            maybe_compact()
    unlock()


def stats(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    j = http.json_body(resp, 200)
    json.begin_object(j)
    json.field_int(j, "keys", store.keys)
    json.field_int(j, "log_bytes", log_end)
    json.field_int(j, "live_bytes", live_bytes)
    json.field_int(j, "compactions", i64(compactions))
    json.field_int(j, "gets", i64(gets))
    json.field_int(j, "puts", i64(puts))
    json.field_int(j, "deletes", i64(deletes))
    json.field_bool(j, "writable", len(broken) == 0)
    json.end_object(j)


def start_store() -> bool:
    """Mount the disk and replay the log; False (said why) if the store cannot work."""
    global max_bytes, compact_min, record
    dev = virtio_blk.probe(0)
    if dev is None:
        print("kv_store: no disk (kaa run --disk IMG)")
        return False
    r = vfs.mount_with(dev, None, CACHE_BLOCKS, False)
    if r < 0:
        print(f"kv_store: cannot mount the disk: {error.name(r)}: {vfs.mount_error()}")
        return False
    reserve: i64 = 32 << 20
    max_bytes = cmdline.int_value("max_bytes", (i64(pages.free_bytes()) - reserve) // 2)
    compact_min = cmdline.int_value("compact_min", compact_min)
    table.init(addr(store), SLOTS)
    record = new_array(u8, MAX_RECORD)
    vfs.unlink(NEW_LOG)                 # a compaction that did not reach its rename
    if open_log() < 0:
        print(f"kv_store: cannot open {LOG}: {error.name(log_fd)}")
        return False
    r = replay()
    if r < 0:
        print(f"kv_store: cannot read {LOG}: {error.name(r)}")
        return False
    maybe_compact()
    print(f"kv_store: {store.keys} keys from a log of {log_end} bytes")
    return True


def main() -> i32:
    if not start_store():
        return 2
    if not net.up():
        return 1
    router: http.Router
    http.route(addr(router), "GET", "/kv/", get)
    http.route(addr(router), "PUT", "/kv/", put)
    http.route(addr(router), "DELETE", "/kv/", delete)
    http.route(addr(router), "GET", "/stats", stats)
    port = u16(cmdline.int_value("port", 80))
    print(f"kv_store: serving on port {port}")
    if not httpd.serve(port, addr(router)):
        print(f"kv_store: port {port} is taken")
        return 1
    return 0
