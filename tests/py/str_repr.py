"""repr() of str: quote choice, escapes for control characters, printable non-ASCII."""


def main() -> None:
    samples = [
        "plain",
        "",
        "it's",
        'say "hi"',
        "both ' and \"",
        "tab\there",
        "new\nline",
        "carriage\rreturn",
        "back\\slash",
        "nul\x00byte",
        "bell\x07 esc\x1b del\x7f",
        "\x80\x9f\xa0\xad",
        "café naïve",
        "日本語",
        "emoji 😀",
        "zero\u200bwidth",
        "line\u2028sep",
        "bom\ufeff",
        "surrogate-free \U0001f600 \U000e0001",
        "latin1 \xff \xe9",
        "combining e\u0301",
        "\\n is not a newline",
    ]
    for s in samples:
        print(repr(s), len(s))
    print(samples[:4])
    print({"key'": "value\"", "tab": "\t"})
    print(("x",), ("a", "b\n"))
    nested = [["it's"], ['"q"']]
    print(nested, repr(nested))
    print(str("str is identity"), repr(repr("x")), repr(str(5)))
    for code in (0, 9, 10, 13, 31, 32, 126, 127, 128, 160, 255, 256, 0x2028, 0xFFFF, 0x10FFFF):
        print(code, repr(chr(code)))


if __name__ == "__main__":
    main()
