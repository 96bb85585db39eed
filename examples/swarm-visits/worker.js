// A replicated worker: every second each replica records one job done in Redis.
const { redis } = require("/app/redis-client.js");

setInterval(() => {
  redis(["INCR", "jobs"]).catch((err) => console.error(`redis: ${err.message}`));
}, 1000);
console.log("worker started");
