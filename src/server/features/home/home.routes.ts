import type { FastifyPluginAsync } from 'fastify';

/**
 * The front door: what this server is, and where its app and its API live. Plain HTML, no
 * script, so it passes the strict Content-Security-Policy.
 */
const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Milepost</title>
</head>
<body>
<main>
<h1>Milepost</h1>
<p>Plan, run, record and report human-trafficking awareness initiatives of commercial vehicle
enforcement units.</p>
<ul>
<li><a href="/app/">Open the field app</a></li>
<li><a href="/api/docs">API documentation</a> (sign in with <code>POST /api/auth/login</code>)</li>
<li><a href="/api/openapi.json">OpenAPI document</a></li>
<li><a href="/readyz">Readiness</a></li>
</ul>
</main>
</body>
</html>
`;

export const homeRoutes: FastifyPluginAsync = async (app) => {
  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').send(page),
  );
};
