"""A function that reads a module global before the module assigns it: NameError, as CPython
(it used to read a null pointer)."""

def main() -> None:
    try:
        print(sum(later))
    except NameError as e:
        print("NameError:", e)


main()
later: list[int] = [1, 2, 3]
main()
