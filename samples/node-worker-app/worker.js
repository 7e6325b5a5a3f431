// worker: no route, no $PORT; it logs a line every few seconds (slipway-cli logs --process worker).
const every = Number(process.env.WORKER_INTERVAL_MS || 2000);
let ticks = 0;

console.log(`worker started, one tick every ${every} ms`);
setInterval(() => console.log(`worker tick ${++ticks}`), every);
process.on("SIGTERM", () => process.exit(0));
