name = "kaa"
print("hello {}".format(name))  # E: str.format() is not supported # N: f-string
