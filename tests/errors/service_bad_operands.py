x = "a" - 1  # E: unsupported operand types for -: str and int # N: convert one operand
