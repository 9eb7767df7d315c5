"""The data: users, follows, articles, favorites and comments, kept in memory and, when
a path is given, in one JSON file on the disk.

Every change is saved before it is acknowledged: the whole document goes to a new file,
which is flushed, fsync'ed and renamed over the old one, so after a crash or a reboot
the file holds either the old or the new state, never half of one.
"""

import json
import os
import time
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class User:
    id: int
    username: str
    email: str
    password: str
    bio: str = ""
    image: str | None = None
    following: list[int] = field(default_factory=list)      # the ids of the users this one follows


@dataclass
class Article:
    id: int
    slug: str
    title: str
    description: str
    body: str
    tags: list[str]
    author: int
    created: float
    updated: float
    favorited_by: list[int] = field(default_factory=list)


@dataclass
class Comment:
    id: int
    article: int
    author: int
    body: str
    created: float
    updated: float


class Store:
    def __init__(self, path: str) -> None:
        self.path = path
        self.users: dict[int, User] = {}
        self.articles: dict[int, Article] = {}
        self.comments: dict[int, Comment] = {}
        self.next_id = 1
        if path and os.path.exists(path):
            self.load()

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    # ---- lookups ----

    def user_named(self, username: str) -> User | None:
        for u in self.users.values():
            if u.username == username:
                return u
        return None

    def user_with_email(self, email: str) -> User | None:
        for u in self.users.values():
            if u.email == email:
                return u
        return None

    def article_by_slug(self, slug: str) -> Article | None:
        for a in self.articles.values():
            if a.slug == slug:
                return a
        return None

    # ---- the disk ----

    def save(self) -> None:
        if not self.path:
            return
        doc = {"next_id": self.next_id,
               "users": [asdict(u) for u in self.users.values()],
               "articles": [asdict(a) for a in self.articles.values()],
               "comments": [asdict(c) for c in self.comments.values()]}
        tmp = self.path + ".new"
        with open(tmp, "w") as f:
            f.write(json.dumps(doc))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)

    def load(self) -> None:
        with open(self.path) as f:
            doc: Any = json.loads(f.read())
        self.next_id = int(doc["next_id"])
        for u in doc["users"]:
            self.users[u["id"]] = User(u["id"], u["username"], u["email"], u["password"], u["bio"], u["image"],
                                       [int(x) for x in u["following"]])
        for a in doc["articles"]:
            self.articles[a["id"]] = Article(a["id"], a["slug"], a["title"], a["description"], a["body"],
                                             [str(t) for t in a["tags"]], a["author"], float(a["created"]),
                                             float(a["updated"]), [int(x) for x in a["favorited_by"]])
        for c in doc["comments"]:
            self.comments[c["id"]] = Comment(c["id"], c["article"], c["author"], c["body"], float(c["created"]),
                                             float(c["updated"]))


def now() -> float:
    return time.time()


def iso(t: float) -> str:
    """2026-12-07T14:20:05.123Z"""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{int(t * 1000) % 1000:03d}Z"
