name = "kaa"
template = "hello {}"
print(template.format(name))  # E: str.format() is supported on a string literal only # N: f-string
