import sqlite3  # E: module 'sqlite3' is not available to services yet # N: the service level has
