"""The string module's constants: their values, lengths and uses as character sets."""

import string
from string import ascii_lowercase, digits


def main() -> None:
    for name, value in [("ascii_letters", string.ascii_letters), ("ascii_lowercase", string.ascii_lowercase),
                        ("ascii_uppercase", string.ascii_uppercase), ("digits", string.digits),
                        ("hexdigits", string.hexdigits), ("octdigits", string.octdigits),
                        ("punctuation", string.punctuation), ("printable", string.printable),
                        ("whitespace", string.whitespace)]:
        print(name, len(value), repr(value), hash(value) == hash(value + ""))
    print(ascii_lowercase[::5], digits[3:7], "7" in string.octdigits, "8" in string.octdigits)
    word = "Hello, World! 42"
    print("".join(c for c in word if c in string.ascii_letters), sum(1 for c in word if c in digits))
    print(word.strip(string.punctuation + string.whitespace + digits))
    print(all(c in string.printable for c in word), string.hexdigits.index("f"),
          string.ascii_uppercase.lower() == ascii_lowercase)
    print(set(string.whitespace) <= set(string.printable), len(set(string.printable)), string.punctuation.count("\\"))


main()
