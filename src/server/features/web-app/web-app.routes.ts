import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCompress from '@fastify/compress';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

/** Where `npm run build:web` puts the field app. */
export const webAppDir = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../dist/web',
);

const missing = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Milepost</title></head>
<body><main><h1>The web app is not built</h1>
<p>Run <code>npm run build:web</code> (or <code>npm start</code>, which builds it), then reload.</p>
</main></body></html>
`;

/**
 * The field app at /app/: its files, and index.html for any other address under it (the app's
 * router takes it from there). Hashed assets are cached for good; the rest is checked each time,
 * so a new release reaches phones on their next start.
 */
export const webAppRoutes: FastifyPluginAsync<{ dir?: string }> = async (app, options) => {
  const root = options.dir ?? webAppDir;
  // Compressed for phones on a weak signal; only this plugin's answers, not the API's.
  await app.register(fastifyCompress, { encodings: ['br', 'gzip'], threshold: 1024 });
  await app.register(fastifyStatic, {
    root,
    serve: false,
    cacheControl: false,
    setHeaders(response, filePath) {
      response.header(
        'cache-control',
        filePath.includes(`${path.sep}assets${path.sep}`)
          ? 'public, max-age=31536000, immutable'
          : 'no-cache',
      );
    },
  });

  app.get('/app', { config: { access: 'public' }, schema: { hide: true } }, (_request, reply) =>
    reply.redirect('/app/'),
  );
  app.get<{ Params: { '*': string } }>(
    '/app/*',
    { config: { access: 'public' }, schema: { hide: true } },
    async (request, reply) => {
      if (!fs.existsSync(path.join(root, 'index.html'))) {
        return reply.code(503).type('text/html; charset=utf-8').send(missing);
      }
      const wanted = path.normalize(request.params['*'] || 'index.html');
      const file = path.join(root, wanted);
      const isFile =
        file.startsWith(root + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile();
      // An address of the app's own (/app/inspections/new) gets the app; a missing asset a 404.
      if (!isFile && path.extname(wanted) !== '') return reply.code(404).send();
      return reply.sendFile(isFile ? wanted : 'index.html');
    },
  );
};
