// release: runs once per deploy before the new version takes traffic, as a database migration
// would. It writes nothing the web process could read (each container has its own read-only
// file system); its effect is that a release that fails stops the deploy and the version before
// keeps serving. This sample fails on purpose when the repository holds a file RELEASE_FAILS.
const fs = require("fs");
const path = require("path");

console.log("release: checking the new version");
if (fs.existsSync(path.join(__dirname, "RELEASE_FAILS"))) {
  console.log("release: RELEASE_FAILS is present, refusing this version");
  process.exit(3);
}
console.log("release: done");
