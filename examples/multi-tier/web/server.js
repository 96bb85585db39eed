// Serves the front page; the proxy sends everything that is not /api/ here.
const http = require("http");
const fs = require("fs");
const page = fs.readFileSync(__dirname + "/index.html");
http.createServer((req, res) => {
  res.setHeader("content-type", "text/html");
  res.end(page);
}).listen(3000);
