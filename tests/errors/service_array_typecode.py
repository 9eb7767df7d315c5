from array import array

code = "i"
a = array(code)  # E: the type code of array() must be a string literal # N: it decides the item type
