// web: answers GET / and the app.json health check on $PORT (the Procfile's web line starts it).
const http = require("http");

const port = Number(process.env.PORT || 8080);

http
  .createServer((request, response) => {
    response.setHeader("Content-Type", "text/plain; charset=utf-8");
    if (request.method === "GET" && request.url === "/") {
      response.end("Hello from node-worker-app on Slipway\n");
    } else if (request.method === "GET" && request.url === "/health") {
      response.end("ok\n");
    } else {
      response.statusCode = 404;
      response.end("not found\n");
    }
  })
  .listen(port, () => console.log(`web listening on ${port}`));
