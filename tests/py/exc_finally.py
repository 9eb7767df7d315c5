"""finally: runs on normal exit, exceptions, return, break and continue; else ordering."""


log: list[str] = []


def step(name: str, fail: bool) -> int:
    try:
        log.append(f"{name}: try")
        if fail:
            raise ValueError(name)
        log.append(f"{name}: no error")
    except ValueError:
        log.append(f"{name}: except")
        return -1
    else:
        log.append(f"{name}: else")
    finally:
        log.append(f"{name}: finally")
    log.append(f"{name}: after")
    return 1


def return_in_try() -> str:
    try:
        return "from try"
    finally:
        print("finally runs before the return completes")


def propagate() -> None:
    try:
        try:
            raise KeyError("deep")
        finally:
            print("inner finally")
    finally:
        print("outer finally")


def loop_control() -> list[int]:
    out: list[int] = []
    for i in range(6):
        try:
            if i == 1:
                continue
            if i == 4:
                break
            out.append(i)
        finally:
            out.append(100 + i)
    return out


def cleanup_order() -> None:
    resources: list[str] = []
    try:
        resources.append("a")
        try:
            resources.append("b")
            raise RuntimeError("fail in b")
        finally:
            resources.remove("b")
            print("released b", resources)
    except RuntimeError as e:
        print("handled", e, resources)
    finally:
        resources.remove("a")
        print("released a", resources)


def main() -> None:
    print(step("first", False), step("second", True))
    for line in log:
        print(line)
    print(return_in_try())
    try:
        propagate()
    except KeyError as e:
        print("propagated", repr(e))
    print(loop_control())
    cleanup_order()
    n = 0
    while True:
        try:
            n += 1
            if n == 3:
                break
        finally:
            print("while finally", n)
    print("done", n)


if __name__ == "__main__":
    main()
