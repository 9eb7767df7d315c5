"""User exception classes with fields and custom __init__/__str__; str() and repr() of them."""


class HttpError(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"{status} {reason}")
        self.status = status
        self.reason = reason


class NotFound(HttpError):
    def __init__(self, path: str) -> None:
        super().__init__(404, "Not Found")
        self.path = path


class ValidationError(ValueError):
    def __init__(self, field: str, problems: list[str]) -> None:
        super().__init__(field)
        self.field = field
        self.problems = problems

    def __str__(self) -> str:
        return f"{self.field}: " + "; ".join(self.problems)


class Plain(Exception):
    pass


class Quiet(Exception):
    def __init__(self) -> None:
        super().__init__()
        self.code = 7


def handle(path: str) -> str:
    if path == "/missing":
        raise NotFound(path)
    if path == "/admin":
        raise HttpError(403, "Forbidden")
    return "200 OK"


def validate(name: str, age: int) -> None:
    problems: list[str] = []
    if not name:
        problems.append("name is empty")
    if age < 0:
        problems.append(f"age {age} is negative")
    if problems:
        raise ValidationError("person", problems)


def main() -> None:
    for path in ("/", "/missing", "/admin"):
        try:
            print(path, handle(path))
        except NotFound as e:
            print(path, "NotFound", e.status, e.reason, e.path, str(e), repr(e))
        except HttpError as e:
            print(path, "HttpError", e.status, e.reason, str(e), repr(e))
    for name, age in (("ann", 3), ("", 5), ("", -1)):
        try:
            validate(name, age)
            print("valid", name)
        except ValidationError as e:
            print("invalid:", e, "|", repr(e), "|", e.field, e.problems, isinstance(e, ValueError))
    try:
        raise Plain("just a message")
    except Plain as e:
        print(str(e), repr(e))
    try:
        raise Plain()
    except Exception as e:
        print(repr(str(e)), repr(e))
    try:
        raise Quiet()
    except Quiet as e:
        print(repr(str(e)), repr(e), e.code)
    errs: list[HttpError] = [HttpError(500, "Oops"), NotFound("/x"), HttpError(418, "I'm a teapot")]
    print(errs)
    print([e.status for e in errs], max(errs, key=lambda e: e.status).reason)
    print(f"{errs[2]} / {errs[2]!r} / {errs[1]!s}")


if __name__ == "__main__":
    main()
