// Builds each request of the write-path benchmark inside autocannon's worker thread, so the
// load generator does not share the server's thread. Reads its officers' session cookies and
// the material ids from the environment the benchmark sets.
const { randomUUID } = require('node:crypto');

const cookies = (process.env.BENCH_COOKIES ?? '').split(',');
const materialIds = (process.env.BENCH_MATERIALS ?? '').split(',');
let next = 0;

module.exports = (request, context) => {
  context.cookie ??= cookies[next++ % cookies.length];
  return {
    ...request,
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: context.cookie },
    body: JSON.stringify({
      id: randomUUID(),
      occurredAt: new Date(Date.now() - 60_000).toISOString(),
      level: 'III',
      usdotNumber: '1234567',
      outreachGiven: true,
      materials: materialIds.map((materialId) => ({ materialId, quantity: 1 })),
    }),
  };
};
