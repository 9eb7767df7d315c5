"""ext2 names: path lookup and the operations that change the tree.

Paths are '/'-separated from the root ('a/b' and '/a/b' are the same; '.' and '..'
work, empty components are skipped). Symbolic links are not followed. Link counts are
kept as e2fsck checks them: a file has one link per entry naming it; a directory has
two (its entry and its own '.') plus one per subdirectory (their '..'). Every
operation reads the inodes it changes into one Node each (a directory that is both
source and target parent is the same Node) and writes them back before returning.
"""

from __future__ import annotations

from kaa.lang import *
import kernel.fs.ext2 as ext2
import kernel.fs.ext2_alloc as ext2_alloc
import kernel.fs.ext2_dir as ext2_dir
import kernel.fs.ext2_inode as ext2_inode
import kernel.fs.ext2_layout as layout
import kernel.fs.block_cache as block_cache
from kernel.fs.error import Error
from kernel.fs.ext2 import Fs
from kernel.fs.ext2_inode import Mapped, Node

MAX_DEPTH: Final = 4096             # '..' steps before a cycle is called damage


def component(path: Str, pos: Ptr[i64]) -> Str:
    """The next non-empty component of path from *pos (advanced past it); "" at the end."""
    i = pos[0]
    while i < len(path) and path[i] == 47:          # '/'
        i += 1
    start = i
    while i < len(path) and path[i] != 47:
        i += 1
    pos[0] = i
    return path[start:i]


def valid_name(name: Str) -> i64:
    if len(name) == 0 or name == "." or name == "..":
        return -Error.INVALID
    if len(name) > layout.MAX_NAME:
        return -Error.NAME_TOO_LONG
    for c in name:
        if c == 0:
            return -Error.INVALID
    return 0


def step(fs: Ptr[Fs], dir_ino: u32, name: Str) -> i64:
    """The inode `name` names in directory dir_ino, or -Error."""
    if len(name) > layout.MAX_NAME:
        return -Error.NAME_TOO_LONG
    d: Node
    r = ext2_inode.read_inode(fs, dir_ino, addr(d))
    if r < 0:
        return r
    if not layout.is_dir(d.i.mode):
        return -Error.NOT_DIR
    if name == ".":
        return i64(dir_ino)
    return ext2_dir.lookup(fs, addr(d), name)


def resolve(fs: Ptr[Fs], path: Str) -> i64:
    """The inode number path names, or -Error."""
    ino: u32 = layout.ROOT_INO
    pos: i64 = 0
    while True:
        name = component(path, addr(pos))
        if len(name) == 0:
            return i64(ino)
        r = step(fs, ino, name)
        if r < 0:
            return r
        ino = u32(r)


def parent(fs: Ptr[Fs], path: Str, name: Ptr[Str]) -> i64:
    """The directory holding path's last component (which goes to *name), or -Error."""
    ino: u32 = layout.ROOT_INO
    pos: i64 = 0
    last = component(path, addr(pos))
    while True:
        following = component(path, addr(pos))
        if len(following) == 0:
            break
        r = step(fs, ino, last)
        if r < 0:
            return r
        ino = u32(r)
        last = following
    r = valid_name(last)
    if r < 0:
        return r
    name[0] = last
    return i64(ino)


def read_dir(fs: Ptr[Fs], ino: u32, d: Ptr[Node]) -> i64:
    r = ext2_inode.read_inode(fs, ino, d)
    if r < 0:
        return r
    if not layout.is_dir(d.i.mode):
        return -Error.NOT_DIR
    if d.i.links_count == 0:
        return ext2.corrupt(fs, "a directory with no links")
    return 0


def locate(fs: Ptr[Fs], path: Str, d: Ptr[Node], name: Ptr[Str], found: Ptr[i64]) -> i64:
    """Where a change to path happens: its directory read into d, its last component
    into name, and what the directory holds under that name into found (an inode
    number, or -Error: NOT_FOUND when nothing). 0, or -Error if the directory cannot
    be had (or the file system is read-only)."""
    if fs.read_only:
        return -Error.READ_ONLY
    p = parent(fs, path, name)
    if p < 0:
        return p
    r = read_dir(fs, u32(p), d)
    if r < 0:
        return r
    found[0] = ext2_dir.lookup(fs, d, name[0])
    return 0


def make_node(fs: Ptr[Fs], path: Str, mode: u16, d: Ptr[Node], name: Ptr[Str], n: Ptr[Node]) -> i64:
    """What create and mkdir share: path must not exist yet; a fresh inode of `mode`
    (its type and permission bits) is allocated near its directory and initialised in
    n (the directory read into d, the new name into name). Its number, or -Error."""
    found: i64 = 0
    r = locate(fs, path, d, name, addr(found))
    if r < 0:
        return r
    if found != -Error.NOT_FOUND:
        return found if found < 0 else -Error.EXISTS
    is_dir = layout.is_dir(mode)
    if is_dir and d.i.links_count >= layout.LINK_MAX:
        return -Error.TOO_MANY_LINKS
    ino = ext2_alloc.alloc_inode(fs, d.ino, is_dir)
    if ino < 0:
        return ino
    r = ext2_inode.init_new(fs, n, u32(ino), mode)
    if r < 0:
        ext2_alloc.free_inode(fs, u32(ino), is_dir)
        return r
    return ino


def create(fs: Ptr[Fs], path: Str, mode: u16) -> i64:
    """A new empty file (mode: the permission bits); its inode number, or -Error."""
    d: Node
    n: Node
    name: Str = ""
    ino = make_node(fs, path, u16(layout.S_IFREG | (mode & 0xFFF)), addr(d), addr(name), addr(n))
    if ino < 0:
        return ino
    r = ext2_dir.add(fs, addr(d), name, u32(ino), layout.FT_REG_FILE)
    if r < 0:
        ext2_inode.release(fs, addr(n))
        return r
    return ino


def mkdir(fs: Ptr[Fs], path: Str, mode: u16) -> i64:
    """A new empty directory; its inode number, or -Error."""
    d: Node
    n: Node
    name: Str = ""
    ino = make_node(fs, path, u16(layout.S_IFDIR | (mode & 0xFFF)), addr(d), addr(name), addr(n))
    if ino < 0:
        return ino
    p = d.ino
    n.i.links_count = 2
    m: Mapped
    r = ext2_inode.bmap(fs, addr(n), 0, True, addr(m))
    if r == 0:
        b = block_cache.get_new(fs.cache, m.block)
        if b is None:
            r = -Error.IO
        else:
            ext2_dir.init_block(fs, b.data, u32(ino), p)
            block_cache.put(fs.cache, b)
            ext2_inode.set_size(fs, addr(n), fs.block_size)
            r = ext2_inode.write_inode(fs, addr(n))
    if r == 0:
        r = ext2_dir.add(fs, addr(d), name, u32(ino), layout.FT_DIR)
    if r < 0:
        ext2_inode.release(fs, addr(n))
        return r
    d.i.links_count += 1
    d.dirty = True
    r = ext2_inode.write_inode(fs, addr(d))
    return ino if r == 0 else r


def drop_link(fs: Ptr[Fs], n: Ptr[Node]) -> i64:
    """One entry naming n is gone: count it, and free n when none are left."""
    if layout.is_dir(n.i.mode):
        n.i.links_count = 0             # its '.' goes with it
    elif n.i.links_count > 0:
        n.i.links_count -= 1
    n.i.ctime = ext2.now(fs)
    n.dirty = True
    if n.i.links_count == 0:
        return ext2_inode.release(fs, n)
    return ext2_inode.write_inode(fs, n)


def unlink(fs: Ptr[Fs], path: Str) -> i64:
    """Remove a name of a file (not a directory: rmdir)."""
    d: Node
    name: Str = ""
    found: i64 = 0
    r = locate(fs, path, addr(d), addr(name), addr(found))
    if r < 0 or found < 0:
        return r if r < 0 else found
    n: Node
    r = ext2_inode.read_inode(fs, u32(found), addr(n))
    if r < 0:
        return r
    if layout.is_dir(n.i.mode):
        return -Error.IS_DIR
    r = ext2_dir.remove(fs, addr(d), name)
    if r < 0:
        return r
    return drop_link(fs, addr(n))


def rmdir(fs: Ptr[Fs], path: Str) -> i64:
    """Remove an empty directory."""
    d: Node
    name: Str = ""
    found: i64 = 0
    r = locate(fs, path, addr(d), addr(name), addr(found))
    if r < 0 or found < 0:
        return r if r < 0 else found
    n: Node
    r = read_dir(fs, u32(found), addr(n))
    if r < 0:
        return r
    r = ext2_dir.is_empty(fs, addr(n))
    if r <= 0:
        return r if r < 0 else -Error.NOT_EMPTY
    r = ext2_dir.remove(fs, addr(d), name)
    if r < 0:
        return r
    if d.i.links_count > 2:
        d.i.links_count -= 1            # the '..' of the directory removed
    d.dirty = True
    r = ext2_inode.write_inode(fs, addr(d))
    if r < 0:
        return r
    return drop_link(fs, addr(n))


def inside(fs: Ptr[Fs], ino: u32, dir_ino: u32) -> i64:
    """1 if directory dir_ino is ino or lies below it, 0 if not, or -Error."""
    cur = dir_ino
    for k in range(MAX_DEPTH):
        if cur == ino:
            return 1
        if cur == layout.ROOT_INO:
            return 0
        r = step(fs, cur, "..")
        if r < 0:
            return r
        cur = u32(r)
    return ext2.corrupt(fs, "directory tree has a cycle")


def rename(fs: Ptr[Fs], old_path: Str, new_path: Str) -> i64:
    """Move old_path to new_path, replacing a file there (or an empty directory, when
    moving a directory)."""
    if fs.read_only:
        return -Error.READ_ONLY
    old_name: Str = ""
    new_name: Str = ""
    op = parent(fs, old_path, addr(old_name))
    if op < 0:
        return op
    np = parent(fs, new_path, addr(new_name))
    if np < 0:
        return np
    od: Node
    nd_own: Node
    r = read_dir(fs, u32(op), addr(od))
    if r < 0:
        return r
    nd = addr(od)
    if np != op:
        nd = addr(nd_own)
        r = read_dir(fs, u32(np), nd)
        if r < 0:
            return r
    src = ext2_dir.lookup(fs, addr(od), old_name)
    if src < 0:
        return src
    s: Node
    r = ext2_inode.read_inode(fs, u32(src), addr(s))
    if r < 0:
        return r
    moving_dir = layout.is_dir(s.i.mode)
    if moving_dir and np != op:
        r = inside(fs, u32(src), u32(np))
        if r != 0:
            return r if r < 0 else -Error.INVALID
    dst = ext2_dir.lookup(fs, nd, new_name)
    if dst < 0 and dst != -Error.NOT_FOUND:
        return dst
    if dst == src:
        return 0
    t: Node
    if dst > 0:
        r = check_target(fs, u32(dst), moving_dir, addr(t))
        if r < 0:
            return r
        r = ext2_dir.repoint(fs, nd, new_name, u32(src), layout.file_type(s.i.mode))
    else:
        if moving_dir and np != op and nd.i.links_count >= layout.LINK_MAX:
            return -Error.TOO_MANY_LINKS
        r = ext2_dir.add(fs, nd, new_name, u32(src), layout.file_type(s.i.mode))
    if r < 0:
        return r
    r = ext2_dir.remove(fs, addr(od), old_name)
    if r < 0:
        return r
    if dst > 0:
        if layout.is_dir(t.i.mode) and nd.i.links_count > 2:
            nd.i.links_count -= 1       # the replaced directory's '..'
            nd.dirty = True
        r = drop_link(fs, addr(t))
        if r < 0:
            return r
    if moving_dir and np != op:
        r = ext2_dir.repoint(fs, addr(s), "..", u32(np), layout.FT_DIR)
        if r < 0:
            return r
        if od.i.links_count > 2:
            od.i.links_count -= 1
        nd.i.links_count += 1
        od.dirty = True
        nd.dirty = True
    s.i.ctime = ext2.now(fs)
    s.dirty = True
    r = ext2_inode.write_inode(fs, addr(s))
    if r == 0:
        r = ext2_inode.write_inode(fs, addr(od))
    if r == 0 and np != op:
        r = ext2_inode.write_inode(fs, nd)
    return r


def check_target(fs: Ptr[Fs], ino: u32, moving_dir: bool, t: Ptr[Node]) -> i64:
    """Whether what rename would replace may go: a file for a file, an empty directory
    for a directory."""
    r = ext2_inode.read_inode(fs, ino, t)
    if r < 0:
        return r
    if layout.is_dir(t.i.mode):
        if not moving_dir:
            return -Error.IS_DIR
        r = ext2_dir.is_empty(fs, t)
        if r <= 0:
            return r if r < 0 else -Error.NOT_EMPTY
        return 0
    return -Error.NOT_DIR if moving_dir else 0
