import array

a = array.array("x", [1])  # E: bad typecode 'x' for array() # N: b B h H i I l L q Q (int items) or f d
