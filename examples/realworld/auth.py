"""Passwords and tokens: PBKDF2-HMAC-SHA256 with a salt per user, and JWTs signed with
HS256 (HMAC-SHA256, base64url without padding, RFC 7519), which the RealWorld spec's
clients send back as `Authorization: Token <jwt>`."""

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

ITERATIONS = 20000          # PBKDF2 rounds: a login costs a few ms natively, more under TCG
TOKEN_SECONDS = 60 * 24 * 3600


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, ITERATIONS)
    return f"pbkdf2_sha256${ITERATIONS}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str) -> bool:
    parts = stored.split("$")
    if len(parts) != 4 or parts[0] != "pbkdf2_sha256":
        return False
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(parts[2]), int(parts[1]))
    return hmac.compare_digest(digest.hex(), parts[3])


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def make_token(secret: str, user_id: int, username: str) -> str:
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    claims = {"id": user_id, "username": username, "exp": int(time.time()) + TOKEN_SECONDS}
    payload = b64url(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(secret.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(signature)}"


def token_user(secret: str, token: str) -> int:
    """The user id a valid, unexpired token names; -1 for anything else."""
    parts = token.split(".")
    if len(parts) != 3:
        return -1
    want = hmac.new(secret.encode(), f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
    try:
        if not hmac.compare_digest(unb64url(parts[2]), want):
            return -1
        claims: Any = json.loads(unb64url(parts[1]))
    except ValueError:
        return -1
    if not isinstance(claims, dict) or not isinstance(claims.get("id"), int) \
            or not isinstance(claims.get("exp"), int) or claims["exp"] < time.time():
        return -1
    return int(claims["id"])
