"""A hash table from byte-string keys to byte-string values, sized once.

    t: table.Table
    table.init(addr(t), 4096)                  # slots: a power of two
    e = table.slot_for(addr(t), key)           # the key's entry, or a free slot for it
    if e is not None:
        created = table.store(addr(t), e, key, value)
    e = table.find(addr(t), key)               # None when absent
    table.remove(addr(t), e)

Keys are up to MAX_KEY bytes, kept in the entry; each value is a heap copy, freed when
it is replaced or removed. Open addressing with linear probing: a removed entry becomes
a tombstone that lookups probe past and inserts reuse. The slot count is fixed, so a
caller bounds the keys (full() at three quarters keeps probe paths short). What
examples/http_api.py keeps in memory and examples/kv_store.py replays from its log.
"""

from __future__ import annotations

from kaa.lang import *

MAX_KEY: Final = 128
EMPTY: Final = 0
USED: Final = 1
DELETED: Final = 2


@struct
class Entry:
    state: u8
    key_len: u8
    key: Array[u8, 128]
    value: Bytes


@struct
class Table:
    slots: Slice[Entry]
    keys: i64                       # entries in use
    value_bytes: i64                # their values' bytes


def init(t: Ptr[Table], slots: i64) -> None:
    """An empty table of `slots` entries (a power of two)."""
    assert slots > 0 and slots & (slots - 1) == 0
    t[0] = Table(slots=new_array(Entry, slots))


def full(t: Ptr[Table]) -> bool:
    return t.keys >= len(t.slots) * 3 // 4


def hash(key: Bytes) -> u64:
    h: u64 = 0xCBF29CE484222325     # FNV-1a
    for b in key:
        h = (h ^ b) * 0x100000001B3
    return h


def key_of(e: Ptr[Entry]) -> Bytes:
    return Bytes(ptr=addr(e.key[0]), len=i64(e.key_len))


def holds(e: Ptr[Entry], key: Bytes) -> bool:
    if e.state != USED or i64(e.key_len) != len(key):
        return False
    for i in range(len(key)):
        if e.key[i] != key[i]:
            return False
    return True


def probe(t: Ptr[Table], key: Bytes, for_insert: bool) -> Ptr[Entry]:
    """The entry holding key; else, with for_insert, the first free slot on its path."""
    free_slot: Ptr[Entry] = None
    mask = u64(len(t.slots) - 1)
    i = hash(key) & mask
    for n in range(len(t.slots)):
        e = addr(t.slots[(i + u64(n)) & mask])
        if e.state == EMPTY:
            return free_slot if free_slot is not None else (e if for_insert else None)
        if e.state == DELETED:
            if free_slot is None and for_insert:
                free_slot = e
        elif holds(e, key):
            return e
    return free_slot


def find(t: Ptr[Table], key: Bytes) -> Ptr[Entry]:
    """The entry holding key, or None."""
    if len(key) == 0 or len(key) > MAX_KEY:
        return None
    return probe(t, key, False)


def slot_for(t: Ptr[Table], key: Bytes) -> Ptr[Entry]:
    """The entry holding key, else a free slot for it; None when key is too long or no
    slot is left."""
    if len(key) == 0 or len(key) > MAX_KEY:
        return None
    return probe(t, key, True)


def store(t: Ptr[Table], e: Ptr[Entry], key: Bytes, value: Bytes) -> bool:
    """Put a copy of value under key in e (from slot_for(key)); True if the key is new."""
    copy = new_array(u8, len(value))
    for i in range(len(value)):
        copy[i] = value[i]
    created = e.state != USED
    if created:
        e.state = USED
        e.key_len = u8(len(key))
        for i in range(len(key)):
            e.key[i] = key[i]
        t.keys += 1
    else:
        t.value_bytes -= len(e.value)
        free(e.value)
    e.value = copy
    t.value_bytes += len(copy)
    return created


def remove(t: Ptr[Table], e: Ptr[Entry]) -> None:
    """Free e's value; the entry becomes a tombstone."""
    t.value_bytes -= len(e.value)
    free(e.value)
    e.value = Bytes(ptr=None, len=0)
    e.state = DELETED
    t.keys -= 1
