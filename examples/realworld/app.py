"""The RealWorld ("Conduit") backend: the API of https://realworld-docs.netlify.app/,
implemented by hundreds of frameworks, here in plain Python over kaa.web.

    kaa run examples/realworld/app.py --disk conduit.ext2 -p 8080:8080 -- DATA=/conduit.json
    python3 examples/realworld/app.py                      # the same under CPython (DATA=... to keep data)

Users log in with a password (PBKDF2-HMAC-SHA256, a salt each) and get a JWT (HS256);
they follow each other, write articles (with slugs and tags), favorite and comment them,
and read a feed. Settings come from the environment (the kernel command line booted):
PORT, DATA (the JSON file that keeps everything; memory only when unset) and SECRET
(the key tokens are signed with).
"""

import os
from typing import Any

from auth import check_password, hash_password, make_token, token_user
from kaa.web import App, HTTPError, Request, Response, json_reply
from store import Article, Comment, Store, User, iso, now

app = App()
app.cors()
db = Store(os.environ.get("DATA", ""))
SECRET = os.environ.get("SECRET", "conduit-development-secret")


# ---- errors, as the spec shapes them: {"errors": {"body": ["..."]}} ----

def spec_error(req: Request, e: HTTPError) -> Response:
    return json_reply({"errors": {"body": [e.detail]}}, 422 if e.status == 400 else e.status)


app.errorhandler(400)(spec_error)
app.errorhandler(401)(spec_error)
app.errorhandler(403)(spec_error)
app.errorhandler(404)(spec_error)
app.errorhandler(422)(spec_error)


def field(body: Any, key: str, name: str) -> dict[str, Any]:
    """body[key] as an object, or a 422 saying what is missing."""
    if not isinstance(body, dict) or not isinstance(body.get(key), dict):
        raise HTTPError(422, f"{name} must be an object under \"{key}\"")
    obj: dict[str, Any] = body[key]
    return obj


def text(obj: dict[str, Any], key: str, required: bool) -> str | None:
    v = obj.get(key)
    if v is None and not required:
        return None
    if not isinstance(v, str) or (required and not v.strip()):
        raise HTTPError(422, f"{key} can't be blank")
    return v


# ---- who is asking ----

def viewer(req: Request) -> User | None:
    auth = req.header("Authorization")
    if not auth:
        return None
    scheme, _, token = auth.partition(" ")
    uid = token_user(SECRET, token) if scheme in ("Token", "Bearer") else -1
    if uid not in db.users:
        raise HTTPError(401, "invalid or expired token")
    return db.users[uid]


def signed_in(req: Request) -> User:
    user = viewer(req)
    if user is None:
        raise HTTPError(401, "missing authorization")
    return user


# ---- what goes out ----

def user_json(u: User) -> dict[str, Any]:
    return {"user": {"email": u.email, "token": make_token(SECRET, u.id, u.username), "username": u.username,
                     "bio": u.bio, "image": u.image}}


def profile(u: User, me: User | None) -> dict[str, Any]:
    return {"username": u.username, "bio": u.bio, "image": u.image,
            "following": me is not None and u.id in me.following}


def article_json(a: Article, me: User | None) -> dict[str, Any]:
    return {"slug": a.slug, "title": a.title, "description": a.description, "body": a.body,
            "tagList": sorted(a.tags), "createdAt": iso(a.created), "updatedAt": iso(a.updated),
            "favorited": me is not None and me.id in a.favorited_by, "favoritesCount": len(a.favorited_by),
            "author": profile(db.users[a.author], me)}


def comment_json(c: Comment, me: User | None) -> dict[str, Any]:
    return {"id": c.id, "createdAt": iso(c.created), "updatedAt": iso(c.updated), "body": c.body,
            "author": profile(db.users[c.author], me)}


# ---- users ----

@app.post("/api/users", status=201)
def register(req: Request) -> dict[str, Any]:
    u = field(req.json(), "user", "user")
    username, email, password = text(u, "username", True), text(u, "email", True), text(u, "password", True)
    assert username is not None and email is not None and password is not None
    if db.user_named(username) is not None:
        raise HTTPError(422, "username has already been taken")
    if db.user_with_email(email) is not None:
        raise HTTPError(422, "email has already been taken")
    user = User(db.new_id(), username, email, hash_password(password))
    db.users[user.id] = user
    db.save()
    return user_json(user)


@app.post("/api/users/login")
def login(req: Request) -> dict[str, Any]:
    u = field(req.json(), "user", "user")
    email, password = text(u, "email", True), text(u, "password", True)
    assert email is not None and password is not None
    user = db.user_with_email(email)
    if user is None or not check_password(password, user.password):
        raise HTTPError(401, "email or password is invalid")
    return user_json(user)


@app.get("/api/user")
def current_user(req: Request) -> dict[str, Any]:
    return user_json(signed_in(req))


@app.put("/api/user")
def update_user(req: Request) -> dict[str, Any]:
    user = signed_in(req)
    u = field(req.json(), "user", "user")
    email, username = text(u, "email", False), text(u, "username", False)
    if email is not None and email != user.email:
        if db.user_with_email(email) is not None:
            raise HTTPError(422, "email has already been taken")
        user.email = email
    if username is not None and username != user.username:
        if db.user_named(username) is not None:
            raise HTTPError(422, "username has already been taken")
        user.username = username
    password = text(u, "password", False)
    if password:
        user.password = hash_password(password)
    bio = u.get("bio")
    if isinstance(bio, str):
        user.bio = bio
    image = u.get("image")
    if image is None or isinstance(image, str):
        user.image = image if "image" in u else user.image
    db.save()
    return user_json(user)


# ---- profiles ----

def someone(username: str) -> User:
    u = db.user_named(username)
    if u is None:
        raise HTTPError(404, f"no user {username}")
    return u


@app.get("/api/profiles/{username}")
def get_profile(req: Request, username: str) -> dict[str, Any]:
    return {"profile": profile(someone(username), viewer(req))}


@app.post("/api/profiles/{username}/follow")
def follow(req: Request, username: str) -> dict[str, Any]:
    return set_following(signed_in(req), someone(username), True)


@app.delete("/api/profiles/{username}/follow")
def unfollow(req: Request, username: str) -> dict[str, Any]:
    return set_following(signed_in(req), someone(username), False)


def set_following(me: User, them: User, on: bool) -> dict[str, Any]:
    if on != (them.id in me.following) and them.id != me.id:
        if on:
            me.following.append(them.id)
        else:
            me.following.remove(them.id)
        db.save()
    return {"profile": profile(them, me)}


# ---- articles ----

def slugify(title: str) -> str:
    slug = re_dashes(title.lower())
    base, n = slug or "article", 1
    slug = base
    while db.article_by_slug(slug) is not None:
        n += 1
        slug = f"{base}-{n}"
    return slug


def re_dashes(text: str) -> str:
    """Letters and digits kept, every other run of characters one '-'."""
    out: list[str] = []
    for ch in text:
        if ch.isalnum():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


def listing(found: list[Article], me: User | None, limit: int, offset: int) -> dict[str, Any]:
    found.sort(key=lambda a: a.created, reverse=True)
    page = found[max(offset, 0):max(offset, 0) + max(limit, 0)]
    return {"articles": [article_json(a, me) for a in page], "articlesCount": len(found)}


@app.get("/api/articles")
def list_articles(req: Request, tag: str = "", author: str = "", favorited: str = "", limit: int = 20,
                  offset: int = 0) -> dict[str, Any]:
    found = list(db.articles.values())
    if tag:
        found = [a for a in found if tag in a.tags]
    if author:
        who = db.user_named(author)
        found = [a for a in found if who is not None and a.author == who.id]
    if favorited:
        fan = db.user_named(favorited)
        found = [a for a in found if fan is not None and fan.id in a.favorited_by]
    return listing(found, viewer(req), limit, offset)


@app.get("/api/articles/feed")
def feed(req: Request, limit: int = 20, offset: int = 0) -> dict[str, Any]:
    me = signed_in(req)
    return listing([a for a in db.articles.values() if a.author in me.following], me, limit, offset)


def the_article(slug: str) -> Article:
    a = db.article_by_slug(slug)
    if a is None:
        raise HTTPError(404, f"no article {slug}")
    return a


def own_article(req: Request, slug: str) -> tuple[User, Article]:
    me, a = signed_in(req), the_article(slug)
    if a.author != me.id:
        raise HTTPError(403, "only its author may change an article")
    return me, a


@app.post("/api/articles", status=201)
def create_article(req: Request) -> dict[str, Any]:
    me = signed_in(req)
    a = field(req.json(), "article", "article")
    title, description, body = text(a, "title", True), text(a, "description", True), text(a, "body", True)
    assert title is not None and description is not None and body is not None
    tags = a.get("tagList", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise HTTPError(422, "tagList must be a list of strings")
    t = now()
    article = Article(db.new_id(), slugify(title), title, description, body, [str(x) for x in tags], me.id, t, t)
    db.articles[article.id] = article
    db.save()
    return {"article": article_json(article, me)}


@app.get("/api/articles/{slug}")
def get_article(req: Request, slug: str) -> dict[str, Any]:
    return {"article": article_json(the_article(slug), viewer(req))}


@app.put("/api/articles/{slug}")
def update_article(req: Request, slug: str) -> dict[str, Any]:
    me, article = own_article(req, slug)
    a = field(req.json(), "article", "article")
    title = text(a, "title", False)
    if title is not None and title != article.title:
        article.title = title
        article.slug = slugify(title)
    article.description = text(a, "description", False) or article.description
    article.body = text(a, "body", False) or article.body
    article.updated = now()
    db.save()
    return {"article": article_json(article, me)}


@app.delete("/api/articles/{slug}")
def delete_article(req: Request, slug: str) -> None:
    _, article = own_article(req, slug)
    del db.articles[article.id]
    for cid in [c.id for c in db.comments.values() if c.article == article.id]:
        del db.comments[cid]
    db.save()


@app.post("/api/articles/{slug}/favorite")
def favorite(req: Request, slug: str) -> dict[str, Any]:
    return set_favorite(signed_in(req), the_article(slug), True)


@app.delete("/api/articles/{slug}/favorite")
def unfavorite(req: Request, slug: str) -> dict[str, Any]:
    return set_favorite(signed_in(req), the_article(slug), False)


def set_favorite(me: User, article: Article, on: bool) -> dict[str, Any]:
    if on != (me.id in article.favorited_by):
        if on:
            article.favorited_by.append(me.id)
        else:
            article.favorited_by.remove(me.id)
        db.save()
    return {"article": article_json(article, me)}


# ---- comments and tags ----

@app.post("/api/articles/{slug}/comments")
def add_comment(req: Request, slug: str) -> dict[str, Any]:
    me, article = signed_in(req), the_article(slug)
    body = text(field(req.json(), "comment", "comment"), "body", True)
    assert body is not None
    t = now()
    c = Comment(db.new_id(), article.id, me.id, body, t, t)
    db.comments[c.id] = c
    db.save()
    return {"comment": comment_json(c, me)}


@app.get("/api/articles/{slug}/comments")
def comments(req: Request, slug: str) -> dict[str, Any]:
    article, me = the_article(slug), viewer(req)
    found = sorted((c for c in db.comments.values() if c.article == article.id), key=lambda c: c.created)
    return {"comments": [comment_json(c, me) for c in found]}


@app.delete("/api/articles/{slug}/comments/{comment_id}")
def delete_comment(req: Request, slug: str, comment_id: int) -> None:
    me, article = signed_in(req), the_article(slug)
    c = db.comments.get(comment_id)
    if c is None or c.article != article.id:
        raise HTTPError(404, f"no comment {comment_id}")
    if c.author != me.id:
        raise HTTPError(403, "only its author may delete a comment")
    del db.comments[comment_id]
    db.save()


@app.get("/api/tags")
def tags() -> dict[str, Any]:
    return {"tags": sorted({t for a in db.articles.values() for t in a.tags})}


if __name__ == "__main__":
    app.run(port=int(os.environ.get("PORT", "8080")))
