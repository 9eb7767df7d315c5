"""str.format() on a literal: automatic, numbered and keyword fields, conversions, nested specs."""

name = "kaa"
n = 3
x = 2.5
print("hello {}!".format(name), "{0}-{1}-{0}".format(n, name), "{who} has {count:03d}".format(who=name, count=n))
print("{:>8}|{:<6}|{:^7}|".format(name, n, x), "{!r} {!s}".format(name, x), "{:.{}f}".format(x, n))
print("{{literal}} {}".format([1, 2]), "{:,}".format(10 ** 7), "{:x}".format(255), "no fields".format())
