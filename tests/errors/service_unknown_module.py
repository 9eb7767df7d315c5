import socket  # E: module 'socket' is not available to services yet # N: the service level has
