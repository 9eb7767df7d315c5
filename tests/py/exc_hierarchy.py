"""Exception hierarchy: catching by base class, order of except clauses, user subclasses, isinstance."""


class AppError(Exception):
    pass


class ConfigError(AppError):
    pass


class NetworkError(AppError):
    pass


class TimeoutError_(NetworkError):
    pass


def fail(kind: str) -> None:
    if kind == "config":
        raise ConfigError("missing port")
    if kind == "timeout":
        raise TimeoutError_("after 30s")
    if kind == "network":
        raise NetworkError("unreachable")
    if kind == "key":
        raise KeyError("host")
    if kind == "index":
        raise IndexError("slot 9")
    if kind == "zero":
        print(1 // 0)
    if kind == "value":
        raise ValueError("bad")


def classify(kind: str) -> str:
    try:
        fail(kind)
    except TimeoutError_ as e:
        return f"timeout: {e}"
    except NetworkError as e:
        return f"network: {e}"
    except AppError as e:
        return f"app: {e!r}"
    except (KeyError, IndexError) as e:
        return f"lookup: {e!r}"
    except ZeroDivisionError as e:
        return f"arithmetic: {e}"
    except Exception as e:
        return f"other: {e!r}"
    return "no error"


def main() -> None:
    for kind in ("config", "timeout", "network", "key", "index", "zero", "value", "none"):
        print(kind, "->", classify(kind))
    err = TimeoutError_("t")
    print(isinstance(err, NetworkError), isinstance(err, AppError), isinstance(err, Exception))
    print(isinstance(err, ConfigError), isinstance(KeyError("k"), Exception))
    print(isinstance(NotImplementedError(), RuntimeError), isinstance(StopIteration(), Exception))
    print(isinstance(ZeroDivisionError(), ValueError), isinstance(RuntimeError(), NotImplementedError))
    collected: list[AppError] = []
    for kind in ("config", "network", "timeout"):
        try:
            fail(kind)
        except AppError as e:
            collected.append(e)
    print(collected, [str(e) for e in collected])
    try:
        fail("timeout")
    except (ConfigError, NetworkError) as e:
        print("tuple caught", repr(e), isinstance(e, TimeoutError_))


if __name__ == "__main__":
    main()
