"""Counter arithmetic (+ - & |, in place), dict(counter), del on a deque, and dict
subclasses held as dynamic values."""

from collections import Counter, deque, defaultdict
from typing import Any
a = Counter("abracadabra")
b = Counter("alakazam")
print(a + b, a - b, a & b, a | b)
a += b
print(a.most_common(2))
a -= Counter("aaaaaaaaaaaa")
print(a)
d = dict(Counter("xyx"))
print(d, type(d).__name__)
q = deque([1, 2, 3, 4])
del q[1]
print(q)
x: Any = Counter("hello")
print(x["l"], x.get("z", 0), x["q"])
dd: defaultdict[str, list[int]] = defaultdict(list)
dd["a"].append(1)
y: Any = dd
print(y["a"], y.get("a"))
