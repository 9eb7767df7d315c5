from typing import Any

x: Any = 3
print(x.real)  # E: attribute 'real' of a value of type Any # N: narrow it first
