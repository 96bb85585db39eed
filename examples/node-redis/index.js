// A web server that counts its visits in Redis. It talks RESP over a socket itself,
// so the image needs nothing from the npm registry.
const http = require("http");
const net = require("net");

const REDIS_HOST = process.env.REDIS_HOST || "redis-server";

function redisCommand(args) {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(6379, REDIS_HOST);
    let reply = "";
    socket.setTimeout(3000, () => socket.destroy(new Error("redis timeout")));
    socket.on("connect", () => {
      socket.write(`*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join(""));
    });
    socket.on("data", (chunk) => {
      reply += chunk;
      if (reply.endsWith("\r\n")) {
        socket.end();
        if (reply[0] === "-") reject(new Error(reply.slice(1).trim()));
        else resolve(reply.slice(1).trim());
      }
    });
    socket.on("error", reject);
  });
}

http
  .createServer(async (req, res) => {
    try {
      const visits = await redisCommand(["INCR", "visits"]);
      res.end(`Number of visits is ${visits}\n`);
    } catch (err) {
      res.statusCode = 503;
      res.end(`redis is not reachable: ${err.message}\n`);
    }
  })
  .listen(8080, () => console.log("listening on port 8080"));
