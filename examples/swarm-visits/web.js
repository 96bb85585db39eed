// The front: counts visits in Redis and shows how much work the workers did.
const http = require("http");
const os = require("os");
const { redis } = require("/app/redis-client.js");

http
  .createServer(async (_req, res) => {
    try {
      const visits = await redis(["INCR", "visits"]);
      const jobs = (await redis(["GET", "jobs"])) || "0";
      res.end(`Number of visits is ${visits}; jobs done: ${jobs}; served by ${os.hostname()}\n`);
    } catch (err) {
      res.statusCode = 503;
      res.end(`redis is not reachable: ${err.message}\n`);
    }
  })
  .listen(8080, () => console.log("listening on port 8080"));
