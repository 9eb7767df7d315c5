"""A persistent key-value HTTP service: http_api's store, kept on the virtio disk.

    kaa disk make empty/ kv.img --size 256                    # once: an empty ext2 image
    kaa run examples/kv_store.py --disk kv.img -p 8080:80
    curl -X PUT --data-binary 'world' http://127.0.0.1:8080/kv/hello     # 201 (200 when replaced)
    curl http://127.0.0.1:8080/kv/hello                                  # world, after any reboot
    curl -X DELETE http://127.0.0.1:8080/kv/hello                        # 204
    curl http://127.0.0.1:8080/stats                                     # {"keys":0,...}

The table and the values live in RAM (GETs never touch the disk); every PUT and DELETE
is a record in a log on the disk, /kv.log, replayed at boot.

Power cuts. An acknowledged write must survive one, and so must every write before
it, whatever the disk was doing when the power went. Three rules give that:
- The log never rewrites a block holding records that were acknowledged (a torn
  write, a sector half written when the power fails, can then only hit records
  nobody was told about). Each sync writes one commit: the new records and a commit
  mark padded to the next 4 KiB boundary, so the next commit starts on a fresh block
  (as SQLite pads its WAL to a sector when it cannot trust the disk with overwrites).
- The file system never changes in steady state. /kv.log is made once, at its full
  size and filled, so appends overwrite blocks the file already has, through a handle
  that leaves the inode's times alone (vfs.NO_CMTIME): a sync writes the commit's
  blocks, then flushes the disk's cache, and nothing else. ext2 has no journal, so a
  power cut in the middle of a change to its bitmaps and inodes would leave e2fsck
  work; the log gives it none (only making the log, on the first boot, does).
- Replay trusts nothing it cannot check. Each record's CRC-32 continues the previous
  record's (the first one's continues the half's header), so a record left from an
  older use of the same blocks never passes for the next one, and a commit counts only
  once its mark is read: a commit cut short is dropped whole, its records counted in
  /stats' "dropped" (those whole, and a torn one: of this generation, failing its
  CRC). New commits then start where the dropped one started.
tests/test_storage_powercut.py cuts the power 30 times (QEMU killed; a disk that loses
what it had not flushed and tears the write in flight) and checks all of that.

The log is two halves of equal size; one is active. A half starts with a 4 KiB header
block (an older header in the other half loses to the higher generation):

    0  u32 CRC-32 of bytes 4..40        16 u64 generation (the higher one is active)
    4  8   "kaakvlog"                    24 u64 salt (random, per generation)
    12 u32 version (1)                   32 u64 bytes in a half

then the commits. A record (little-endian):

    0  u32 CRC-32 of bytes 4.., continued from the previous record's CRC (a commit
           mark's covers bytes 4..12 only)
    4  u8  kind: 1 put, 2 delete, 3 commit mark
    5  u8  key length (1..128; 0 for a commit mark)
    6  u16 the half's generation, its low 16 bits (a record of an older one is not ours)
    8  u32 value length (0 for a delete; a commit mark's: the zero bytes after its
           header, up to the next 4 KiB boundary)
    12 the key, then the value

When the next commit does not fit in the active half, the live records are written to
the other half (in commits of at most 256 KiB), synced, and only then the other half's
header with the next generation (synced too): a power cut before that header is whole
leaves the old half active and intact. So that compacting always frees room, the live
records may fill at most three quarters of a half (then PUTs that grow them get 507).

The log's size is chosen when it is made: `-- log_mib=N`, else 64 MiB or half the
free space of the disk if that is less; at least 2 MiB. The costs, measured under TCG
on this machine (10,000 PUTs on one connection, 64 MiB disk, a log of 31 MiB): a PUT is
one write request and one flush, 4.3 KB written for 120-byte values (5.7 KB for values
of 0 to 1.5 KB, compactions included), where the log that appended in place took 2.1
requests and 8.9 KB (2.6 and 12 KB): it rewrote its inode as well. So PUTs are no
slower (478-666 a second against 353-448 for the small values, under a varying load).
The space: a commit holds a whole 4 KiB block until the next compaction, the file has
its full size from the start, and the live records fill at most 3/4 of a half: the
log takes at least 8/3 of the live records' bytes. Writes are serialised by one lock,
each with a sync of its own (no group commit).

Values take memory: at most max_bytes (default: half the free memory at boot, less
32 MiB), else 507. Keys are up to 128 bytes of the path after /kv/ (as received). A
failed write (the disk said no) answers 500 and the next commit takes its place; a
failed sync stops all writes (503): what is on the disk is then unknown. There is no
clean-shutdown path either: `kaa run` stops QEMU with QMP `quit`, which the log does
not need.
"""

from kaa.lang import *
import kernel.arch.x86_64.entropy as entropy
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
from kernel.fs.block_device import BlockDevice
from kernel.fs.error import Error

LOG: Str = "/kv.log"
NEW_LOG: Str = "/kv.log.new"        # the log being made; renamed to LOG once whole
MAGIC: Str = "kaakvlog"
VERSION: Final = 1
SLOTS: Final = 32768                # a power of two; at most SLOTS * 3 / 4 keys
MAX_VALUE: Final = 65536            # a longer value gets 413
UNIT: Final = 4096                  # commits start and end on these boundaries
HEADER: Final = 12                  # a record's header
LOG_HEADER: Final = 40              # a half's header (the rest of its 4 KiB block is zero)
PUT_RECORD: Final = 1
DELETE_RECORD: Final = 2
COMMIT_RECORD: Final = 3
MAX_COMMIT: Final = 262144          # a commit's bytes, padding included, at most
REPLAY_CHUNK: Final = 262144
DEFAULT_LOG_MIB: Final = 64
MIN_LOG_MIB: Final = 2
ENTRY_OVERHEAD: Final = 64          # what a value costs the heap beyond its bytes, about
CACHE_BLOCKS: Final = 1024

store: table.Table                  # the keys and values (a copy of each value in the heap)
disk: Ptr[BlockDevice]
batch: Slice[u8]                    # the commit being written (under the lock)
batch_len: i64 = 0
batch_chain: u32 = 0                # the CRC of the batch's last record
batch_tag: u16 = 0                  # the generation its records are written in (low bits)
log_fd: i64 = -1
half: i64 = 0                       # bytes in a half of the log
active: i64 = 0                     # the half in use: 0 or 1
generation: u64 = 0
chain: u32 = 0                      # the CRC of the last committed record (or the header's)
log_end: i64 = 0                    # file offset after the last commit
live_bytes: i64 = 0                 # bytes of the records that hold the live keys
max_bytes: i64 = 0
compactions: u64 = 0
commits: u64 = 0
dropped: u64 = 0                    # records of a commit cut short, found at boot
gets: u64 = 0
puts: u64 = 0
deletes: u64 = 0
broken: Str = ""                    # why writes are refused, "" while they work
mutex: threads.Mutex                # serialises writes (held across the sync)
replay_stopped: bool = False        # replay met a record that is not the next one
replay_pending: i64 = 0             # whole records after the last commit mark seen
replay_torn: bool = False           # and the one it stopped at was ours, but damaged


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


def live_limit() -> i64:
    """The most the live records may take: compacting then frees a quarter of a half."""
    return half // 4 * 3


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


# ---- records and commits ------------------------------------------------------------------

def put32(p: Bytes, at: i64, v: u32) -> None:
    for i in range(4):
        p[at + i] = u8(v >> u32(8 * i))


def get32(p: Bytes, at: i64) -> u32:
    return u32(p[at]) | (u32(p[at + 1]) << 8) | (u32(p[at + 2]) << 16) | (u32(p[at + 3]) << 24)


def put64(p: Bytes, at: i64, v: u64) -> None:
    put32(p, at, u32(v & 0xFFFFFFFF))
    put32(p, at + 4, u32(v >> 32))


def get64(p: Bytes, at: i64) -> u64:
    return u64(get32(p, at)) | (u64(get32(p, at + 4)) << 32)


def round_up(n: i64) -> i64:
    return (n + UNIT - 1) // UNIT * UNIT


def commit_size(records: i64) -> i64:
    """A commit's bytes for records' bytes: with its mark, to the next boundary."""
    return round_up(records + HEADER)


def half_start(h: i64) -> i64:
    return h * half


def begin(seed: u32, gen: u64) -> None:
    """Start a commit of generation gen whose first record continues the CRC seed."""
    global batch_len, batch_chain, batch_tag
    batch_len = 0
    batch_chain = seed
    batch_tag = u16(gen & 0xFFFF)


def add(kind: u8, key: Bytes, value: Bytes) -> None:
    """Append a record to the commit being written."""
    global batch_len, batch_chain
    n = record_size(len(key), len(value))
    r = batch[batch_len:batch_len + n]
    r[4] = kind
    r[5] = u8(len(key))
    r[6] = u8(batch_tag & 0xFF)
    r[7] = u8(batch_tag >> 8)
    put32(r, 8, u32(len(value)))
    for i in range(len(key)):
        r[HEADER + i] = key[i]
    for i in range(len(value)):
        r[HEADER + len(key) + i] = value[i]
    batch_chain = crc32.update(batch_chain, r[4:n])
    put32(r, 0, batch_chain)
    batch_len += n


def close_batch() -> i64:
    """End the commit with its mark and zeros to the next boundary; its bytes."""
    global batch_chain
    total = commit_size(batch_len)
    r = batch[batch_len:total]
    for i in range(len(r)):
        r[i] = 0
    r[4] = COMMIT_RECORD
    r[6] = u8(batch_tag & 0xFF)
    r[7] = u8(batch_tag >> 8)
    put32(r, 8, u32(total - batch_len - HEADER))
    batch_chain = crc32.update(batch_chain, r[4:HEADER])
    put32(r, 0, batch_chain)
    return total


def write_at(at: i64, data: Bytes) -> i64:
    """Write data at file offset at: 0, or -Error (a short write is NO_SPACE)."""
    r = vfs.seek(log_fd, u64(at))
    if r == 0:
        r = vfs.write(log_fd, data)
    if r >= 0:
        r = 0 if r == len(data) else -Error.NO_SPACE
    return r


def read_at(at: i64, buf: Bytes) -> i64:
    r = vfs.seek(log_fd, u64(at))
    return vfs.read(log_fd, buf) if r == 0 else r


def sync() -> bool:
    """Sync the disk; False (and writes stop) if that failed."""
    global broken
    s = vfs.sync()
    if s < 0:
        broken = "a sync failed: what is on the disk is unknown"
        print(f"kv_store: sync: {error.name(s)}")
        return False
    return True


def commit() -> u16:
    """Write the commit being built after the last one and sync: 0 once it is on the
    disk, else the status to answer (nothing was acknowledged: the next commit goes to
    the same place)."""
    global chain, log_end, commits
    total = close_batch()
    r = write_at(log_end, batch[0:total])
    if r < 0:
        print(f"kv_store: writing the log: {error.name(r)}")
        return 500
    if not sync():
        return 500
    chain = batch_chain
    log_end += total
    commits += 1
    return 0


def append(kind: u8, key: Bytes, value: Bytes) -> u16:
    """One record as a commit of its own: 0 once it is on the disk, else the status."""
    status = make_room(commit_size(record_size(len(key), len(value))))
    if status != 0:
        return status
    begin(chain, generation)
    add(kind, key, value)
    return commit()


# ---- the halves: headers, compaction --------------------------------------------------------

def make_header(h: Bytes, gen: u64, salt: u64) -> u32:
    """Fill h (LOG_HEADER bytes) with a header; its CRC."""
    for i in range(len(MAGIC)):
        h[4 + i] = MAGIC[i]
    put32(h, 12, VERSION)
    put64(h, 16, gen)
    put64(h, 24, salt)
    put64(h, 32, u64(half))
    crc = crc32.update(0, h[4:LOG_HEADER])
    put32(h, 0, crc)
    return crc


def read_header(which: i64, gen: Ptr[u64], crc: Ptr[u32]) -> bool:
    """Whether half `which` has a whole header of this log; its generation and CRC."""
    hb: Array[u8, 40]
    h = hb[0:LOG_HEADER]
    if read_at(half_start(which), h) != LOG_HEADER:
        return False
    if crc32.update(0, h[4:LOG_HEADER]) != get32(h, 0) or get32(h, 12) != VERSION or \
            get64(h, 32) != u64(half):
        return False
    for i in range(len(MAGIC)):
        if h[4 + i] != MAGIC[i]:
            return False
    gen[0] = get64(h, 16)
    crc[0] = get32(h, 0)
    return True


def compact() -> u16:
    """Copy the live records to the other half under the next generation and switch to
    it (the header goes last): 0, or the status to answer (the old half stays)."""
    global active, generation, chain, log_end, compactions
    other = 1 - active
    hb: Array[u8, 40]
    h = hb[0:LOG_HEADER]
    seed = make_header(h, generation + 1, entropy.word())
    pos = half_start(other) + UNIT
    end = half_start(other) + half
    begin(seed, generation + 1)
    r: i64 = 0
    i = 0
    while r == 0 and i <= len(store.slots):
        e = addr(store.slots[i]) if i < len(store.slots) else None
        n = record_size(i64(e.key_len), len(e.value)) if e is not None and e.state == table.USED else 0
        if batch_len > 0 and (e is None or commit_size(batch_len + n) > MAX_COMMIT):
            total = close_batch()
            r = write_at(pos, batch[0:total]) if pos + total <= end else -Error.NO_SPACE
            pos += total
            begin(batch_chain, generation + 1)
        if n > 0:
            add(PUT_RECORD, table.key_of(e), e.value)
        i += 1
    if r < 0:
        print(f"kv_store: compacting: {error.name(r)}; the old half stays")
        return 507 if r == -Error.NO_SPACE else 500
    if not sync():
        return 500
    last = batch_chain
    z = batch[0:UNIT]
    for k in range(UNIT):
        z[k] = 0
    for k in range(LOG_HEADER):
        z[k] = h[k]
    r = write_at(half_start(other), z)
    if r < 0:
        print(f"kv_store: writing a header: {error.name(r)}; the old half stays")
        return 500
    if not sync():
        return 500
    active = other
    generation += 1
    chain = last
    log_end = pos
    compactions += 1
    return 0


def make_room(need: i64) -> u16:
    """0 once a commit of need bytes fits in the active half (compacting if it must)."""
    if log_end + need <= half_start(active) + half:
        return 0
    status = compact()
    if status == 0 and log_end + need > half_start(active) + half:
        status = 507
    return status


# ---- replay ---------------------------------------------------------------------------------

def record_at(b: Bytes, at: i64, c: u32) -> i64:
    """The length of the record at b[at:] if it is whole and the one after CRC c; 0 if
    more bytes are needed to say; -1 if it is not ours (replay_torn: it is, of this
    generation, but fails its CRC)."""
    global replay_torn
    if len(b) - at < HEADER:
        return 0
    kind = b[at + 4]
    key_len = i64(b[at + 5])
    value_len = i64(get32(b, at + 8))
    if u16(b[at + 6]) | (u16(b[at + 7]) << 8) != u16(generation & 0xFFFF):
        return -1
    covered = HEADER
    if kind == COMMIT_RECORD:
        if key_len != 0 or value_len >= UNIT or (at + HEADER + value_len) % UNIT != 0:
            return -1
    elif kind == PUT_RECORD or kind == DELETE_RECORD:
        if key_len == 0 or key_len > table.MAX_KEY or value_len > MAX_VALUE or \
                (kind == DELETE_RECORD and value_len != 0):
            return -1
        covered = HEADER + key_len + value_len
    else:
        return -1
    n = HEADER + key_len + value_len
    if at + n > MAX_COMMIT:
        return -1
    if len(b) - at < n:
        return 0
    if crc32.update(c, b[at + 4:at + covered]) != get32(b, at):
        replay_torn = True
        return -1
    return n


def replay_commits(b: Bytes) -> i64:
    """Apply the whole commits at the start of b (which starts on a boundary, after the
    record whose CRC is `chain`); the bytes they took."""
    global chain, replay_stopped, replay_pending, replay_torn
    start: i64 = 0
    at: i64 = 0
    c = chain
    replay_pending = 0
    replay_torn = False
    while True:
        n = record_at(b[start:len(b)], at - start, c)
        if n <= 0:
            replay_stopped = n < 0
            return start
        c = get32(b, at)
        kind = b[at + 4]
        at += n
        if kind != COMMIT_RECORD:
            replay_pending += 1
            continue
        if not apply_commit(b[start:at]):
            replay_stopped = True
            return start
        chain = c
        start = at
        replay_pending = 0


def apply_commit(b: Bytes) -> bool:
    """The records of one checked commit; False if the table filled up."""
    at: i64 = 0
    while at < len(b):
        key_len = i64(b[at + 5])
        n = record_size(key_len, i64(get32(b, at + 8)))
        kind = b[at + 4]
        if kind != COMMIT_RECORD and not apply(kind, b[at + HEADER:at + HEADER + key_len],
                                               b[at + HEADER + key_len:at + n]):
            return False
        at += n
    return True


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


def replay() -> i64:
    """Read the active half's commits into the table: 0, or -Error."""
    global log_end, dropped
    buf = new_array(u8, REPLAY_CHUNK + MAX_COMMIT)
    end = half_start(active) + half
    log_end = half_start(active) + UNIT
    next_read = log_end
    have: i64 = 0                       # bytes in buf, from file offset log_end
    while True:
        used = replay_commits(buf[0:have])
        log_end += used
        for i in range(have - used):    # keep an unfinished commit's start for the next read
            buf[i] = buf[used + i]
        have -= used
        if replay_stopped or next_read >= end or have >= MAX_COMMIT:
            break
        want = end - next_read if end - next_read < REPLAY_CHUNK else REPLAY_CHUNK
        n = read_at(next_read, buf[have:have + want])
        if n <= 0:
            free(buf)
            return n if n < 0 else -Error.CORRUPT
        have += n
        next_read += n
    free(buf)
    dropped = u64(replay_pending)
    if replay_torn:
        dropped += 1
    if dropped > 0:
        print(f"kv_store: dropped a commit cut short: {replay_pending} whole records"
              f"{', and a torn one' if replay_torn else ''}")
    return 0


# ---- making and opening the log -------------------------------------------------------------

def make_log() -> i64:
    """Make LOG at its full size, filled (zeros, and half 0's header): 0, or -Error."""
    global half
    mib = cmdline.int_value("log_mib", 0)
    if mib <= 0:
        mib = vfs.free_bytes() // 2 >> 20
        if mib > DEFAULT_LOG_MIB:
            mib = DEFAULT_LOG_MIB
    if mib < MIN_LOG_MIB:
        print(f"kv_store: a log needs {MIN_LOG_MIB} MiB at least (log_mib={mib})")
        return -Error.NO_SPACE
    half = mib << 19
    fd = vfs.open(NEW_LOG, vfs.WRITE | vfs.CREATE | vfs.TRUNCATE)
    if fd < 0:
        return fd
    chunk = batch[0:MAX_COMMIT]
    for i in range(MAX_COMMIT):
        chunk[i] = 0
    make_header(chunk[0:LOG_HEADER], 1, entropy.word())
    r: i64 = 0
    done: i64 = 0
    while r >= 0 and done < 2 * half:
        r = vfs.write(fd, chunk)
        if r >= 0 and r != len(chunk):
            r = -Error.NO_SPACE
        for i in range(LOG_HEADER):
            chunk[i] = 0
        done += MAX_COMMIT
    vfs.close(fd)
    if r >= 0:
        r = vfs.sync()
    if r >= 0:
        r = vfs.rename(NEW_LOG, LOG)
    if r >= 0:
        r = vfs.sync()
    if r < 0:
        vfs.unlink(NEW_LOG)
        return r
    print(f"kv_store: made a log of {mib} MiB")
    return 0


def open_log() -> i64:
    """Open the log (made if missing), pick the active half and replay it: 0, or -Error."""
    global log_fd, half, active, generation, chain
    vfs.unlink(NEW_LOG)                 # a log being made when the machine stopped
    log_fd = vfs.open(LOG, vfs.READ | vfs.WRITE | vfs.NO_CMTIME)
    if log_fd == -Error.NOT_FOUND:
        r = make_log()
        if r < 0:
            return r
        log_fd = vfs.open(LOG, vfs.READ | vfs.WRITE | vfs.NO_CMTIME)
    if log_fd < 0:
        return log_fd
    st: vfs.Stat
    r = vfs.fstat(log_fd, addr(st))
    if r < 0:
        return r
    half = i64(st.size // 2)
    mib = cmdline.int_value("log_mib", 0)
    if mib > 0 and u64(mib) << 20 != st.size:
        print(f"kv_store: log_mib={mib} applies when the log is made: {LOG} keeps its {st.size >> 20} MiB")
    if st.blocks * 512 < st.size:
        print(f"kv_store: {LOG} has holes: writing into them changes the file system's metadata")
    g0: u64 = 0
    g1: u64 = 0
    c0: u32 = 0
    c1: u32 = 0
    ok0 = st.size % (2 * UNIT) == 0 and read_header(0, addr(g0), addr(c0))
    ok1 = st.size % (2 * UNIT) == 0 and read_header(1, addr(g1), addr(c1))
    if not ok0 and not ok1:
        print(f"kv_store: {LOG} is not a log of this kv_store (no whole header): move it away")
        return -Error.CORRUPT
    active = 1 if ok1 and (not ok0 or g1 > g0) else 0
    generation = g1 if active == 1 else g0
    chain = c1 if active == 1 else c0
    return replay()


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
    grows = record_size(len(key), len(req.body))
    if e is not None and e.state == table.USED:
        grows -= record_size(len(key), len(e.value))
    if e is None or (e.state != table.USED and table.full(addr(store))):
        http.text(resp, 507, "the store is full (keys)\n")
    elif memory_used() + len(req.body) + ENTRY_OVERHEAD > max_bytes:
        http.text(resp, 507, "the store is full (memory)\n")
    elif grows > 0 and live_bytes + grows > live_limit():
        http.text(resp, 507, "the store is full (log)\n")
    else:
        status = append(PUT_RECORD, key, req.body)
        if status != 0:
            http.error(resp, status)
        else:
            created = set_value(e, key, req.body)
            puts += 1
            http.text(resp, 201 if created else 200, "created\n" if created else "replaced\n")
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
    unlock()


def stats(req: Ptr[http.Request], resp: Ptr[http.Response]) -> None:
    j = http.json_body(resp, 200)
    json.begin_object(j)
    json.field_int(j, "keys", store.keys)
    json.field_int(j, "log_bytes", log_end - half_start(active) - UNIT)
    json.field_int(j, "log_capacity", half - UNIT)
    json.field_int(j, "live_bytes", live_bytes)
    json.field_int(j, "generation", i64(generation))
    json.field_int(j, "commits", i64(commits))
    json.field_int(j, "compactions", i64(compactions))
    json.field_int(j, "dropped", i64(dropped))
    json.field_int(j, "gets", i64(gets))
    json.field_int(j, "puts", i64(puts))
    json.field_int(j, "deletes", i64(deletes))
    json.field_bool(j, "writable", len(broken) == 0)
    json.field_int(j, "disk_writes", i64(disk.stats.writes))
    json.field_int(j, "disk_flushes", i64(disk.stats.flushes))
    json.field_int(j, "disk_bytes_written", i64(disk.stats.sectors_written * 512))
    json.end_object(j)


def start_store() -> bool:
    """Mount the disk and replay the log; False (said why) if the store cannot work."""
    global max_bytes, batch, disk
    disk = virtio_blk.probe(0)
    if disk is None:
        print("kv_store: no disk (kaa run --disk IMG)")
        return False
    r = vfs.mount_with(disk, None, CACHE_BLOCKS, False)
    if r < 0:
        print(f"kv_store: cannot mount the disk: {error.name(r)}: {vfs.mount_error()}")
        return False
    reserve: i64 = 32 << 20
    max_bytes = cmdline.int_value("max_bytes", (i64(pages.free_bytes()) - reserve) // 2)
    table.init(addr(store), SLOTS)
    batch = new_array(u8, MAX_COMMIT)
    r = open_log()
    if r < 0:
        print(f"kv_store: cannot use {LOG}: {error.name(r)}")
        return False
    print(f"kv_store: {store.keys} keys from a log of {log_end - half_start(active) - UNIT} bytes"
          f" (half {active}, generation {generation}, {half >> 10} KiB a half)")
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
