total = 0
for i in range(3):
    totl += i  # E: unknown name 'totl' # N: did you mean 'total'
