import os

from flask import Flask, jsonify
from redis import Redis

app = Flask(__name__)
db = Redis(host=os.environ.get("DB_HOST", "db"), port=6379, decode_responses=True)


@app.get("/api/jobs")
def jobs():
    return jsonify(queued=db.llen("jobs"), done=int(db.get("done") or 0))


@app.post("/api/jobs")
def add_job():
    db.lpush("jobs", "job")
    return jsonify(queued=db.llen("jobs")), 202


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=5000)
