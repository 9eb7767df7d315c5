class A:
    pass


class B:
    pass


class C(A, B):  # E: a class has at most one base class # N: composition
    pass
