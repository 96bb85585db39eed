import os
import socket

from redis import Redis

db = Redis(host=os.environ.get("DB_HOST", "db"), port=6379, decode_responses=True)
name = socket.gethostname()
print(f"worker {name} waiting for jobs", flush=True)
while True:
    item = db.brpop("jobs", timeout=5)
    if item:
        done = db.incr("done")
        print(f"worker {name} finished a job ({done} done)", flush=True)
