"""binascii, the module under base64: hexlify/unhexlify, b2a_base64/a2b_base64 (with
strict_mode), and binascii.Error caught by name as base64's decoders raise it."""

from __future__ import annotations

import base64
import binascii


def main() -> None:
    print(binascii.hexlify(b"\x01\xab\xff"), binascii.b2a_hex(b""), binascii.unhexlify("01AB"), binascii.a2b_hex(b"ff00"))
    print(binascii.b2a_base64(b"line"), binascii.b2a_base64(b"line", newline=False), binascii.a2b_base64("bGluZQ=="))
    print(binascii.a2b_base64(b"bGl uZQ=="), binascii.a2b_base64("bGluZQ==", strict_mode=True))
    for bad in ["abc", "zz", "\u00e9\u00e9"]:
        try:
            binascii.unhexlify(bad)
        except binascii.Error as e:
            print("binascii.Error:", e)
        except ValueError as e:
            print("ValueError:", e)
    for text in ["bGl uZQ==", "=bGluZQ==", "bGluZQ==bG"]:
        try:
            binascii.a2b_base64(text, strict_mode=True)
        except binascii.Error as e:
            print("binascii.Error:", e)
    for s in ["Zm9", "Zm9vY", "MZXW6YQ"]:
        try:
            base64.b64decode(s) if len(s) < 7 else base64.b32decode(s)
        except binascii.Error as e:
            print(s, "binascii.Error:", e, isinstance(e, ValueError))
    try:
        base64.b16decode("0")
    except binascii.Error as e:
        print("binascii.Error:", e)


main()
