// A Slipway function: the platform calls this once per request (or schedule) with the event, and
// answers with what it returns. See docs/functions.md.
module.exports = async (event) => {
  const name = (event.query && event.query.name) || 'world';
  console.log(`greeting ${name}`);
  if (event.path === '/page') {
    // an object with a statusCode is a web response of its own
    return {
      statusCode: 200,
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: `<h1>Hello, ${name.replace(/[<>&"']/g, '')}</h1>\n`,
    };
  }
  return { greeting: `Hello, ${name}, from function-node on Slipway` };
};
