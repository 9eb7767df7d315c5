n = 3
print("%d items" % n)  # E: '%' formatting of strings is not supported # N: f-string
