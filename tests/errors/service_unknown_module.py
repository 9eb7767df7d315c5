import socket  # E: module 'socket' is not available to services yet # N: sys, typing and dataclasses
