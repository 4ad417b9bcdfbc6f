import crypto from 'node:crypto';
import fs from 'node:fs';
import fastifyCompress from '@fastify/compress';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { tipLimits } from '#shared/contracts/tips.ts';
import { AppError, NotFoundError } from '../../errors.ts';
import type { RouteDeps } from '../../http/deps.ts';
import { describeError } from '../../http/problem.ts';
import type { AgencyRow } from '../agencies/agencies.repository.ts';
import { addToTipAsSender, findTipForSender, submitPublicTip } from '../tips/tips.service.ts';
import { chooseLanguage, type PublicLanguage, publicMessages } from './messages.ts';
import { renderPrintable } from './printable.ts';
import {
  checkFormToken,
  clientKey,
  formToken,
  publicPageFacts,
  publicPlaces,
  readTipForm,
  requirePublicAgency,
  type TipFormBody,
} from './public.service.ts';
import {
  FollowUpPage,
  type PageContext,
  ProblemPage,
  PublicPage,
  renderPage,
  StatusPage,
  ThanksPage,
} from './public-pages.tsx';

const languageCookie = 'milepost_lang';

/** Printed material that cannot say where the public reaches Milepost. */
class PublicAddressUnknownError extends AppError {
  readonly status = 503;
  readonly title = 'Public address not set';
}

/**
 * Where the QR code of printed material leads: MILEPOST_PUBLIC_URL; without it, the address
 * this connection reached Milepost at, as the server's own socket says (falling back to HOST and
 * PORT), never a request header, which anyone can forge (and a cache keep for everyone). Behind
 * a proxy that address is the proxy's way in, which the public cannot reach: printing is refused
 * until the setting names the public address.
 */
export function printedPageOrigin(
  request: FastifyRequest,
  config: { publicUrl: string | undefined; trustProxy: boolean; host: string; port: number },
): string {
  if (config.publicUrl) return config.publicUrl;
  if (config.trustProxy) {
    throw new PublicAddressUnknownError(
      'Printed material needs MILEPOST_PUBLIC_URL, the address where the public reaches Milepost ' +
        '(such as https://milepost.example.org): behind a proxy, Milepost cannot tell it.',
    );
  }
  const socket = request.raw.socket;
  const address = (socket?.localAddress ?? config.host).replace(/^::ffff:(?=\d+\.)/, '');
  const port = socket?.localPort ?? config.port;
  const host = address.includes(':') ? `[${address.replace('%', '%25')}]` : address;
  return `${request.protocol === 'https' ? 'https' : 'http'}://${host}:${port}`;
}

/**
 * Nothing on a public page comes from anywhere but Milepost, and no page may be framed; the
 * stylesheet and the one small script are files of ours.
 */
const contentSecurityPolicy = [
  "default-src 'none'",
  "style-src 'self'",
  "script-src 'self'",
  "img-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

function asset(file: string, type: string) {
  const body = fs.readFileSync(new URL(`./assets/${file}`, import.meta.url));
  const version = crypto.createHash('sha256').update(body).digest('hex').slice(0, 12);
  return { body, type, url: `/p/assets/${file}?v=${version}` };
}

/** Whether a rate limit's count (see createRateLimit) went past its maximum. */
const exceeded = (limit: { isAllowed: boolean; isExceeded?: boolean }) =>
  !limit.isAllowed && limit.isExceeded === true;

const slugParams = z.object({ slug: z.string().regex(/^[a-z0-9-]{1,60}$/, 'is not a page') });
const languageQuery = z.object({ lang: z.string().max(10).optional() });
/**
 * The largest form the page's own fields allow, in bytes: each character of a field filled to
 * its length may take nine once encoded (three bytes of UTF-8, each sent as %XX), plus room for
 * the short fields. A tip written in a script of three-byte characters must not be refused for
 * its size, with everything typed lost (64 KB did that).
 */
const formBodyLimit =
  9 *
    (tipLimits.narrative +
      tipLimits.people +
      tipLimits.whereText +
      tipLimits.contact +
      tipLimits.vehicles *
        (tipLimits.vehicleDescription + tipLimits.plate + tipLimits.plateState)) +
  16 * 1024;

/** A form as browsers send it: text fields, and checkboxes repeated under one name. */
const formBody = z.record(
  z.string().max(40),
  z.union([z.string().max(tipLimits.narrative + 100), z.array(z.string().max(100)).max(30)]),
);

/**
 * The public side: an agency's page at `/p/{slug}` (how to get help, the signs, what to do, the
 * numbers, the tip form), the follow-up of a tip by its receipt, and the printable material.
 * Rendered on the server, whole without JavaScript, in English, Spanish or French.
 */
export const publicRoutes: FastifyPluginAsyncZod<RouteDeps> = async (
  app,
  { db, config, secrets },
) => {
  await app.register(fastifyFormbody, { bodyLimit: formBodyLimit });
  // Truck-stop Wi-Fi and a phone's last bar: every page goes out compressed.
  await app.register(fastifyCompress, { encodings: ['br', 'gzip'], threshold: 1024 });
  const css = asset('public.css', 'text/css; charset=utf-8');
  const script = asset('near-me.js', 'text/javascript; charset=utf-8');
  const pages = { config: { access: 'public' as const }, schema: { hide: true } };

  // Counted by a daily-salted hash of the address, in memory: no address is kept (clientKey).
  const perClient = app.createRateLimit({
    max: config.tips.clientRateLimit,
    timeWindow: '10 minutes',
    keyGenerator: (request) => `client:${clientKey(secrets, request.ip)}`,
  });
  // Looking a tip up is limited apart, more loosely: a sender checks back; a guesser tries many.
  const perClientFollowUps = app.createRateLimit({
    max: config.tips.clientRateLimit * 4,
    timeWindow: '10 minutes',
    keyGenerator: (request) => `follow-up:${clientKey(secrets, request.ip)}`,
  });
  const perAgency = app.createRateLimit({
    max: config.tips.agencyRateLimit,
    timeWindow: '1 hour',
    keyGenerator: (request) => `agency:${(request.params as { slug: string }).slug}`,
  });

  /** The visitor's language: asked for in the address (and then remembered), or negotiated. */
  function languageOf(request: FastifyRequest, reply: FastifyReply): PublicLanguage {
    const asked = (request.query as { lang?: string }).lang;
    const language = chooseLanguage(
      asked,
      request.cookies[languageCookie],
      request.headers['accept-language'],
    );
    if (asked === language && request.cookies[languageCookie] !== language) {
      // A preference, not an identifier: the same three values for everyone.
      reply.setCookie(languageCookie, language, {
        path: '/p',
        maxAge: 365 * 86_400,
        sameSite: 'lax',
        httpOnly: true,
        secure: request.protocol === 'https',
      });
    }
    return language;
  }

  function contextFor(language: PublicLanguage, slug: string, agencyName: string): PageContext {
    return {
      language,
      m: publicMessages[language],
      slug,
      agencyName,
      assets: { css: css.url, script: script.url },
    };
  }

  function sendPage(reply: FastifyReply, html: string, status = 200) {
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('content-security-policy', contentSecurityPolicy)
      .header('cache-control', 'no-store')
      .header('vary', 'Accept-Language, Cookie')
      .send(html);
  }

  async function pageWithForm(
    reply: FastifyReply,
    agency: AgencyRow,
    language: PublicLanguage,
    form: {
      values: TipFormBody;
      errors: Parameters<typeof PublicPage>[0]['form']['errors'];
      notice?: string;
    },
    status: number,
  ) {
    const facts = await publicPageFacts(db, agency, language);
    const ctx = contextFor(language, agency.slug, agency.name);
    return sendPage(
      reply,
      renderPage(
        PublicPage({ ctx, facts, form: { ...form, token: formToken(secrets, agency.slug) } }),
      ),
      status,
    );
  }

  /**
   * An agency's page as a fresh visitor gets it, rendered once per language and kept for a short
   * while: a poster's QR code scanned at a busy truck stop costs no query and no rendering. Only
   * the form's signature, made anew for each visitor, is written into the kept page. Changes of
   * the agency's numbers or statistics show within `freshPageMs`.
   */
  const freshPageMs = 30_000;
  const freshPages = new Map<string, { html: string; until: number }>();
  const tokenHole = 'MILEPOST-FORM-TOKEN';
  async function freshPage(slug: string, language: PublicLanguage): Promise<string> {
    const key = `${slug}|${language}`;
    const now = Date.now();
    let kept = freshPages.get(key);
    if (!kept || kept.until < now) {
      const agency = await requirePublicAgency(db, slug);
      const facts = await publicPageFacts(db, agency, language);
      const ctx = contextFor(language, agency.slug, agency.name);
      const html = renderPage(
        PublicPage({ ctx, facts, form: { values: {}, errors: [], token: tokenHole } }),
      );
      kept = { html, until: now + freshPageMs };
      if (freshPages.size > 3000) freshPages.clear();
      freshPages.set(key, kept);
    }
    return kept.html.replace(tokenHole, formToken(secrets, slug, now));
  }

  app.setErrorHandler(async (error, request, reply) => {
    const slug = (request.params as { slug?: string } | undefined)?.slug ?? '';
    const language = chooseLanguage(
      (request.query as { lang?: string } | undefined)?.lang,
      request.cookies[languageCookie],
      request.headers['accept-language'],
    );
    // The API's reading of the error (a data error is the sender's, not a fault), told as a
    // page; what the error said stays out of the page and out of the logs (describeError).
    const { problem } = describeError(error as Error, request);
    const status = problem.status;
    const fields = (problem.errors ?? []).map((e) => e.field).join(', ');
    const unconfigured = error instanceof PublicAddressUnknownError;
    const title = unconfigured
      ? error.title
      : status === 404
        ? 'Not found'
        : status >= 500
          ? 'Something went wrong'
          : 'Bad request';
    const detail = unconfigured
      ? error.message
      : status >= 500
        ? 'Please try again in a moment. If someone is in danger, call 911.'
        : status === 404
          ? 'There is no such page.'
          : `The request could not be read${fields ? ` (${fields})` : ''}.`;
    return sendPage(
      reply,
      renderPage(ProblemPage({ ctx: contextFor(language, slug, 'Milepost'), title, detail })),
      status,
    );
  });

  for (const file of [css, script]) {
    app.get(file.url.split('?')[0] ?? '', pages, async (_request, reply) =>
      reply
        .type(file.type)
        .header('cache-control', 'public, max-age=31536000, immutable')
        .send(file.body),
    );
  }

  app.get(
    '/p/:slug',
    { ...pages, schema: { hide: true, params: slugParams, querystring: languageQuery } },
    async (request, reply) => {
      const language = languageOf(request, reply);
      return sendPage(reply, await freshPage(request.params.slug, language));
    },
  );

  app.post(
    '/p/:slug/tips',
    {
      ...pages,
      schema: { hide: true, params: slugParams, querystring: languageQuery, body: formBody },
    },
    async (request, reply) => {
      const language = languageOf(request, reply);
      const m = publicMessages[language];
      const agency = await requirePublicAgency(db, request.params.slug);
      const values = request.body as TipFormBody;
      const refuse = (notice: string, status: number) =>
        pageWithForm(reply, agency, language, { values, errors: [], notice }, status);
      if (exceeded(await perClient(request)) || exceeded(await perAgency(request))) {
        return refuse(m.errors.rateLimited, 429);
      }
      if (typeof values.website === 'string' && values.website.trim() !== '') {
        return refuse(m.errors.honeypot, 400);
      }
      const started = typeof values.started === 'string' ? values.started : undefined;
      const timing = checkFormToken(secrets, agency.slug, started, config.tips.minFillSeconds);
      if (timing !== 'ok') {
        return refuse(timing === 'too_fast' ? m.errors.tooFast : m.errors.expired, 400);
      }
      const read = readTipForm(values, language, await publicPlaces(db, agency));
      if ('errors' in read) {
        return pageWithForm(reply, agency, language, { values, errors: read.errors }, 400);
      }
      const receipt = await submitPublicTip(db, secrets, agency, read.tip, String(request.id));
      return sendPage(
        reply,
        renderPage(
          ThanksPage({
            ctx: contextFor(language, agency.slug, agency.name),
            receiptCode: receipt.receiptCode,
            secret: receipt.secret,
          }),
        ),
        201,
      );
    },
  );

  app.get(
    '/p/:slug/tips/follow-up',
    { ...pages, schema: { hide: true, params: slugParams, querystring: languageQuery } },
    async (request, reply) => {
      const language = languageOf(request, reply);
      const agency = await requirePublicAgency(db, request.params.slug);
      const ctx = contextFor(language, agency.slug, agency.name);
      return sendPage(reply, renderPage(FollowUpPage({ ctx })));
    },
  );

  const receiptBody = z.object({
    receipt: z.string().max(40).default(''),
    secret: z.string().max(60).default(''),
    text: z
      .string()
      .max(tipLimits.addition + 100)
      .optional(),
  });

  /** The status page of the tip the body names, or the follow-up form again, refused. */
  async function followUp(
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    body: z.infer<typeof receiptBody>,
    addition: boolean,
  ) {
    const language = languageOf(request, reply);
    const m = publicMessages[language];
    const agency = await requirePublicAgency(db, slug);
    const ctx = contextFor(language, agency.slug, agency.name);
    if (exceeded(await perClientFollowUps(request))) {
      return sendPage(
        reply,
        renderPage(FollowUpPage({ ctx, receipt: body.receipt, problem: m.errors.rateLimited })),
        429,
      );
    }
    try {
      const text = body.text?.trim() ?? '';
      const tip =
        addition && text !== '' && text.length <= tipLimits.addition
          ? await addToTipAsSender(
              db,
              secrets,
              agency,
              { receipt: body.receipt, secret: body.secret, text },
              String(request.id),
            )
          : await findTipForSender(db, agency, body.receipt, body.secret);
      const problem =
        addition && text.length > tipLimits.addition
          ? `${m.addLabel} ${m.errors.tooLong.replace('{max}', String(tipLimits.addition))}`
          : undefined;
      return sendPage(
        reply,
        renderPage(
          StatusPage({
            ctx,
            receipt: body.receipt.trim().toUpperCase(),
            secret: body.secret,
            status: tip.status,
            receivedAt: tip.receivedAt,
            added: addition && !problem && text !== '',
            ...(problem ? { problem } : {}),
          }),
        ),
        problem ? 400 : 200,
      );
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      return sendPage(
        reply,
        renderPage(FollowUpPage({ ctx, receipt: body.receipt, problem: m.errors.notFound })),
        404,
      );
    }
  }

  app.post(
    '/p/:slug/tips/follow-up',
    {
      ...pages,
      schema: { hide: true, params: slugParams, querystring: languageQuery, body: receiptBody },
    },
    (request, reply) => followUp(request, reply, request.params.slug, request.body, false),
  );

  app.post(
    '/p/:slug/tips/follow-up/add',
    {
      ...pages,
      schema: { hide: true, params: slugParams, querystring: languageQuery, body: receiptBody },
    },
    (request, reply) => followUp(request, reply, request.params.slug, request.body, true),
  );

  for (const kind of ['flyer', 'window-card'] as const) {
    app.get(
      `/p/:slug/${kind}.pdf`,
      { ...pages, schema: { hide: true, params: slugParams, querystring: languageQuery } },
      async (request, reply) => {
        const language = languageOf(request, reply);
        const agency = await requirePublicAgency(db, request.params.slug);
        const origin = printedPageOrigin(request, config);
        return reply
          .type('application/pdf')
          .header(
            'content-disposition',
            `inline; filename="${agency.slug}-${kind}-${language}.pdf"`,
          )
          .send(
            await renderPrintable(kind, {
              agency,
              language,
              pageUrl: `${origin}/p/${agency.slug}`,
            }),
          );
      },
    );
  }
};
