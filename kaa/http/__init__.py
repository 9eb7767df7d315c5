"""HTTP/1.1 for services, at the kernel level of Kaa Python: the parser, requests and
responses, the router, dates, static files, a JSON writer, the connection state machine
(connection.py) and the server loop over the kernel's TCP (server.py). Services import
it (kaa.web builds on it); the kernel itself does not.
"""
