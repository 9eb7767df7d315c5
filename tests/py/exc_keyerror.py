"""KeyError: messages are the repr of the key, for str, int, tuple and float keys; dict.pop; set.remove."""


def get(d: dict[str, int], key: str) -> int:
    return d[key]


def main() -> None:
    words = {"alpha": 1, "beta": 2}
    for key in ("alpha", "gamma", "", "it's", 'quo"te', "new\nline", "ü"):
        try:
            print(key, get(words, key))
        except KeyError as e:
            print("KeyError", str(e), repr(e))
    by_int: dict[int, str] = {1: "one"}
    for k in (1, 2, -3, 10 ** 20):
        try:
            print(by_int[k])
        except KeyError as e:
            print("KeyError", e, repr(e))
    by_pair: dict[tuple[int, str], int] = {(1, "a"): 1}
    try:
        print(by_pair[(2, "b")])
    except KeyError as e:
        print("KeyError", e, repr(e))
    by_float: dict[float, int] = {0.5: 1}
    try:
        print(by_float[0.25])
    except KeyError as e:
        print("KeyError", e, repr(e))
    try:
        words.pop("delta")
    except KeyError as e:
        print("pop KeyError", e)
    try:
        del words["epsilon"]
    except KeyError as e:
        print("del KeyError", e)
    tags = {3, 4}
    try:
        tags.remove(5)
    except KeyError as e:
        print("set KeyError", e, repr(e))
    empty_set: set[str] = set()
    try:
        empty_set.remove("x")
    except KeyError as e:
        print("set KeyError", e)
    e2 = KeyError("custom message")
    print(str(e2), repr(e2), str(KeyError()), repr(KeyError()))
    missing = 0
    for word in "alpha beta gamma alpha delta".split():
        try:
            words[word] += 10
        except KeyError:
            missing += 1
            words[word] = 0
    print(words, missing)


if __name__ == "__main__":
    main()
