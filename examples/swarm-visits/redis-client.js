// A tiny Redis client (RESP over a socket, AUTH with the password from the secret), shared by the
// web front and the worker through a config, so the stack needs no image of its own.
const fs = require("fs");
const net = require("net");

const HOST = process.env.REDIS_HOST || "redis";
const PASSWORD_FILE = process.env.REDIS_PASSWORD_FILE || "/run/secrets/redis_password";

function encode(args) {
  return `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("");
}

/** Sends AUTH then one command; resolves with the command's reply. */
function redis(args) {
  const password = fs.readFileSync(PASSWORD_FILE, "utf8").trim();
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(6379, HOST);
    let buffer = "";
    const replies = [];
    socket.setTimeout(3000, () => socket.destroy(new Error("redis timeout")));
    socket.on("connect", () => socket.write(encode(["AUTH", password]) + encode(args)));
    socket.on("data", (chunk) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf("\r\n")) >= 0) {
        replies.push(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
      // replies[0] answers AUTH; a bulk string ("$3", then "abc") takes two lines, "$-1" is nil.
      const bulk = replies.length >= 2 && replies[1][0] === "$" && replies[1] !== "$-1";
      if (replies.length >= (bulk ? 3 : 2)) {
        socket.end();
        const bad = replies.find((r) => r[0] === "-");
        if (bad) reject(new Error(bad.slice(1)));
        else resolve(bulk ? replies[2] : replies[1] === "$-1" ? null : replies[1].slice(1));
      }
    });
    socket.on("error", reject);
  });
}

module.exports = { redis };
