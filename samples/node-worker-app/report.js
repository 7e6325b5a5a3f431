// The app.json cron entry's command: run daily as a one-off container of the live version.
console.log(`report: ${new Date().toISOString()}, nothing to report`);
