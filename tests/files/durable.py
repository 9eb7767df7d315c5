"""Acknowledged writes, then a power cut (tests/test_service_files.py): each round
replaces state.json the durable way and appends a line to log.txt, then says so; after
the last round the service waits to be stopped with no warning."""

import json
import os
import time

for i in range(20):
    with open("state.json.tmp", "w") as f:
        f.write(json.dumps({"round": i}))
        f.flush()
        os.fsync(f.fileno())
    os.replace("state.json.tmp", "state.json")
    with open("log.txt", "a") as log:
        log.write(f"round {i}\n")
    print("saved", i)
print("waiting for the power cut")
while True:
    time.sleep(1)
