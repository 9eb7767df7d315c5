"""raise X from Y, implicit context, bare raise re-raising, re-raise after handling."""


class ParseError(Exception):
    pass


def parse_port(text: str) -> int:
    try:
        port = int(text)
    except ValueError as e:
        raise ParseError(f"bad port {text!r}") from e
    if not 0 < port < 65536:
        raise ParseError(f"port {port} out of range")
    return port


def reraise(text: str) -> int:
    try:
        return parse_port(text)
    except ParseError:
        print("  logging and re-raising for", repr(text))
        raise


def implicit(d: dict[str, int]) -> int:
    try:
        return d["missing"]
    except KeyError:
        raise RuntimeError("lookup failed")


def suppressed() -> None:
    try:
        1 // 0
    except ZeroDivisionError:
        raise ValueError("replaced") from None


def main() -> None:
    for text in ("8080", "http", "99999"):
        try:
            print("port", reraise(text))
        except ParseError as e:
            cause = e.__cause__
            print("ParseError:", e, "| cause:", repr(cause), "| cause is None:", cause is None)
    try:
        implicit({})
    except RuntimeError as e:
        print("RuntimeError:", e, "| cause:", e.__cause__, "| context:", repr(e.__context__))
    try:
        suppressed()
    except ValueError as e:
        print("ValueError:", e, e.__cause__, repr(e.__context__))
    try:
        try:
            raise KeyError("first")
        except KeyError as first:
            try:
                raise IndexError("second") from first
            except IndexError as second:
                print("second cause is first:", second.__cause__ is first)
                raise
    except IndexError as e:
        print("outer got", repr(e), repr(e.__cause__))
    errors: list[str] = []
    for value in ("1", "two", "3"):
        try:
            try:
                n = int(value)
            except ValueError as e:
                raise ParseError("wrapped") from e
            errors.append(f"ok {n}")
        except ParseError as e:
            errors.append(f"{e} <- {e.__cause__}")
    print(errors)


if __name__ == "__main__":
    main()
