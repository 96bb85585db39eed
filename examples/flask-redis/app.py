import os
import socket

from flask import Flask
from redis import Redis

app = Flask(__name__)
redis = Redis(host=os.environ.get("REDIS_HOST", "redis"), port=6379)


@app.route("/")
def hello():
    visits = redis.incr("visits")
    greeting = os.environ.get("GREETING", "Hello")
    return f"{greeting}! I am {socket.gethostname()} and I have been seen {visits} times.\n"


@app.route("/health")
def health():
    redis.ping()
    return "ok\n"


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
