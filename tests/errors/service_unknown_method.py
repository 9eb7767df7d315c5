s = "kaa"
print(s.shout())  # E: 'str' has no method 'shout' # N: docs/language.md
