"""Practice figures: statistics, goal progress, the CSV export's rows and the per-user cache.

Pure reads over the database, each taking user_id explicitly and returning plain data; the
two faces (admin/ and api/) render what they return.
"""
