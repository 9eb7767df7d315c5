class Box:
    def __init__(self) -> None:
        self.items = []  # E: the type of field 'items' cannot be inferred from this value # N: annotate it
