// A Slipway sample: answers GET / on $PORT (8080 on Slipway). Its one dependency, ms (installed by
// `npm ci` from package-lock.json when the platform builds it), formats how long it took to start.
const http = require("http");
const ms = require("ms");

const port = Number(process.env.PORT || 8080);

http
  .createServer((request, response) => {
    if (request.method === "GET" && request.url === "/") {
      response.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" });
      response.end("Hello from node-app on Slipway\n");
    } else {
      response.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" });
      response.end("not found\n");
    }
  })
  .listen(port, () =>
    console.log(`node-app listening on ${port}, started in ${ms(Math.round(process.uptime() * 1000))}`),
  );
