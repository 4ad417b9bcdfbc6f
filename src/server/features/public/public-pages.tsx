import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { redFlagCodes } from '#shared/catalogues/field.ts';
import { contactSafeAnswers, type TipStatus, tipLimits } from '#shared/contracts/tips.ts';
import {
  fill,
  languageNames,
  type PublicLanguage,
  type PublicMessages,
  publicLanguages,
} from './messages.ts';
import {
  formatDate,
  type PublicPageFacts,
  type TipFormBody,
  type TipFormError,
} from './public.service.ts';

/**
 * The public pages, rendered on the server: complete without JavaScript, in the visitor's
 * language, nothing loaded from anyone but Milepost. React is used here as a template language:
 * it escapes every value, and the components read like the page.
 */

export interface PageContext {
  language: PublicLanguage;
  m: PublicMessages;
  slug: string;
  agencyName: string;
  /** The stylesheet and script addresses, with their content hash. */
  assets: { css: string; script: string };
}

/** A page as the browser gets it. */
export function renderPage(page: ReactNode): string {
  return `<!doctype html>${renderToStaticMarkup(page)}`;
}

function Layout(props: { ctx: PageContext; title: string; path: string; children: ReactNode }) {
  const { ctx } = props;
  const { m } = ctx;
  return (
    <html lang={ctx.language}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${props.title} · ${ctx.agencyName}`}</title>
        <link rel="stylesheet" href={ctx.assets.css} />
      </head>
      <body>
        <a className="skip" href="#main">
          {m.pageTitle}
        </a>
        <header className="bar">
          <span className="agency">{ctx.agencyName}</span>
          <nav aria-label={m.language}>
            <ul className="languages">
              {publicLanguages.map((language) => (
                <li key={language}>
                  {language === ctx.language ? (
                    <span aria-current="page" lang={language}>
                      {languageNames[language]}
                    </span>
                  ) : (
                    <a href={`${props.path}?lang=${language}`} lang={language} hrefLang={language}>
                      {languageNames[language]}
                    </a>
                  )}
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="main">{props.children}</main>
        <footer>
          <p>{m.privacy}</p>
        </footer>
      </body>
    </html>
  );
}

const telHref = (number: string) => `tel:${number.replace(/[^0-9+]/g, '')}`;

function Hotlines({ ctx, facts }: { ctx: PageContext; facts: PublicPageFacts }) {
  const { m, language } = ctx;
  const { national, agency } = facts;
  return (
    <>
      <section className="emergency" aria-labelledby="emergency">
        <h2 id="emergency">{m.emergencyTitle}</h2>
        <p className="big">
          <a href="tel:911">{m.emergency}</a>
        </p>
      </section>
      <section aria-labelledby="hotline">
        <h2 id="hotline">{m.hotlineTitle}</h2>
        <p className="hotline-name">{national.label}</p>
        <ul className="lines">
          <li>
            {m.hotlineCall}{' '}
            <a className="number" href={telHref(national.number)}>
              {national.number}
            </a>
          </li>
          {national.text ? (
            <li>
              {m.hotlineText}{' '}
              <a className="number" href={`sms:${national.text}`}>
                {national.text}
              </a>
            </li>
          ) : null}
          {national.web ? (
            <li>
              {m.hotlineWeb} <a href={national.web}>{national.web.replace(/^https:\/\//, '')}</a>
            </li>
          ) : null}
        </ul>
        <p>{m.hotlineAlways}</p>
        <p className="small">
          {fill(m.verifiedOn, { date: formatDate(national.verifiedOn, language) })}
        </p>
        {agency.hotlines.length > 0 ? (
          <>
            <h3>{fill(m.agencyLines, { agency: agency.name })}</h3>
            <ul className="lines">
              {agency.hotlines.map((line) => (
                <li key={`${line.label}${line.number}`}>
                  {line.label}:{' '}
                  <a className="number" href={telHref(line.number)}>
                    {line.number}
                  </a>{' '}
                  <span className="small">
                    {fill(m.verifiedOn, { date: formatDate(line.verifiedOn, language) })}
                  </span>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>
    </>
  );
}

/** The agency's page: how to get help, the signs, what to do, the numbers, and the tip form. */
export function PublicPage(props: {
  ctx: PageContext;
  facts: PublicPageFacts;
  form: { token: string; values: TipFormBody; errors: TipFormError[]; notice?: string };
}) {
  const { ctx, facts } = props;
  const { m } = ctx;
  return (
    <Layout ctx={ctx} title={m.pageTitle} path={`/p/${ctx.slug}`}>
      <h1>{m.pageTitle}</h1>
      <p className="lead">{m.intro}</p>
      <Hotlines ctx={ctx} facts={facts} />
      <section aria-labelledby="signs">
        <h2 id="signs">{m.signsTitle}</h2>
        <p>{m.signsIntro}</p>
        <ul>
          {redFlagCodes
            .filter((code) => code !== 'other')
            .map((code) => (
              <li key={code}>{m.redFlags[code]}</li>
            ))}
        </ul>
      </section>
      <section aria-labelledby="what-to-do">
        <h2 id="what-to-do">{m.whatToDoTitle}</h2>
        <ol>
          {m.whatToDo.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
      </section>
      {facts.statistics.length > 0 ? (
        <section aria-labelledby="numbers">
          <h2 id="numbers">{m.numbersTitle}</h2>
          <ul className="statistics">
            {facts.statistics.map((s) => (
              <li key={s.sentence}>
                <p>{s.sentence}</p>
                <p className="small">
                  {m.source}: {s.citation}
                </p>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <TipForm ctx={ctx} facts={facts} form={props.form} />
      <p>
        <a href={`/p/${ctx.slug}/tips/follow-up?lang=${ctx.language}`}>{m.followUpLink}</a>
      </p>
    </Layout>
  );
}

function errorText(m: PublicMessages, error: TipFormError | undefined): string | undefined {
  if (!error) return undefined;
  if (error.problem === 'tooLong') return fill(m.errors.tooLong, { max: error.max ?? 0 });
  if (error.problem === 'empty') return m.errors.empty;
  return m.errors.invalid;
}

/** A labelled field with its hint and error tied to it, for keyboard and screen-reader users. */
function Field(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  children: (describedBy: string | undefined, invalid: boolean) => ReactNode;
}) {
  const describedBy =
    [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : '']
      .filter(Boolean)
      .join(' ') || undefined;
  return (
    <div className={props.error ? 'field field-error' : 'field'}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.hint ? (
        <p className="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p className="error" id={`${props.id}-error`}>
          {props.error}
        </p>
      ) : null}
      {props.children(describedBy, !!props.error)}
    </div>
  );
}

function TipForm(props: {
  ctx: PageContext;
  facts: PublicPageFacts;
  form: { token: string; values: TipFormBody; errors: TipFormError[]; notice?: string };
}) {
  const { ctx, facts, form } = props;
  const { m } = ctx;
  const value = (name: string) => {
    const v = form.values[name];
    return (Array.isArray(v) ? v[0] : v) ?? '';
  };
  const checked = (name: string, option: string) => {
    const v = form.values[name];
    return (Array.isArray(v) ? v : v === undefined ? [] : [v]).includes(option);
  };
  const errorOf = (field: string) =>
    errorText(
      m,
      form.errors.find((e) => e.field === field),
    );
  const fieldLabels: Record<string, string> = {
    redFlags: m.seenLegend,
    place: m.wherePlace,
    whereText: m.whereText,
    lat: m.nearMe,
    seenOn: m.whenDate,
    seenTime: m.whenTime,
    people: m.peopleLabel,
    narrative: m.narrativeLabel,
    contact: m.contactLabel,
    contactSafe: m.contactSafeLabel,
    ...Object.fromEntries(
      [1, 2].flatMap((n) => [
        [`plate${n}`, `${fill(m.vehicle, { n })}: ${m.plate}`],
        [`plateState${n}`, `${fill(m.vehicle, { n })}: ${m.plateState}`],
        [`vehicle${n}`, `${fill(m.vehicle, { n })}: ${m.vehicleDescription}`],
      ]),
    ),
  };
  const textField = (
    id: string,
    label: string,
    max: number,
    options: { hint?: string; multiline?: boolean; type?: string; list?: string } = {},
  ) => (
    <Field id={id} label={label} hint={options.hint} error={errorOf(id)}>
      {(describedBy, invalid) =>
        options.multiline ? (
          <textarea
            id={id}
            name={id}
            rows={4}
            maxLength={max}
            defaultValue={value(id)}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
          />
        ) : (
          <input
            id={id}
            name={id}
            type={options.type ?? 'text'}
            maxLength={max}
            list={options.list}
            defaultValue={value(id)}
            autoComplete="off"
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
          />
        )
      }
    </Field>
  );
  return (
    <section aria-labelledby="tip" className="tip">
      <h2 id="tip">{fill(m.tipTitle, { agency: ctx.agencyName })}</h2>
      <p>{m.tipIntro}</p>
      <p>{fill(m.tipNeverContact, { agency: ctx.agencyName })}</p>
      {form.notice ? (
        <div className="alert" role="alert">
          <p>{form.notice}</p>
        </div>
      ) : null}
      {form.errors.length > 0 ? (
        <div className="alert" role="alert" aria-labelledby="errors-title">
          <h3 id="errors-title">{m.errorsTitle}</h3>
          <ul>
            {form.errors.map((e) => (
              <li key={e.field}>
                <a href={`#${e.field === 'redFlags' ? 'flag-0' : e.field}`}>
                  {fieldLabels[e.field] ?? e.field}: {errorText(m, e)}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <form method="post" action={`/p/${ctx.slug}/tips?lang=${ctx.language}`}>
        <input type="hidden" name="started" value={form.token} />
        <div className="hp" aria-hidden="true">
          <label htmlFor="website">{m.honeypot}</label>
          <input id="website" name="website" type="text" tabIndex={-1} autoComplete="off" />
        </div>
        <fieldset>
          <legend>{m.seenLegend}</legend>
          {redFlagCodes.map((code, index) => (
            <div className="choice" key={code}>
              <input
                type="checkbox"
                id={`flag-${index}`}
                name="redFlags"
                value={code}
                defaultChecked={checked('redFlags', code)}
              />
              <label htmlFor={`flag-${index}`}>{m.redFlags[code]}</label>
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>{m.whereLegend}</legend>
          {textField('place', m.wherePlace, 200, { list: 'places' })}
          <datalist id="places">
            {facts.places.map((p) => (
              <option key={p.id} value={p.name} />
            ))}
          </datalist>
          {textField('whereText', m.whereText, tipLimits.whereText, {
            hint: m.whereTextHint,
            multiline: true,
          })}
          <input type="hidden" id="lat" name="lat" defaultValue={value('lat')} />
          <input type="hidden" id="lon" name="lon" defaultValue={value('lon')} />
          <button
            type="button"
            className="secondary"
            data-near-me=""
            data-done={m.nearMeDone}
            data-failed={m.nearMeFailed}
            hidden
          >
            {m.nearMe}
          </button>
          <p id="near-me-status" className="small" aria-live="polite" />
        </fieldset>
        <fieldset>
          <legend>{m.whenLabel}</legend>
          <div className="row">
            {textField('seenOn', m.whenDate, 10, { type: 'date' })}
            {textField('seenTime', m.whenTime, 5, { type: 'time' })}
          </div>
        </fieldset>
        <fieldset>
          <legend>{m.vehiclesLegend}</legend>
          {[1, 2].map((n) => (
            <fieldset key={n} className="vehicle">
              <legend>{fill(m.vehicle, { n })}</legend>
              <div className="row">
                {textField(`plate${n}`, m.plate, tipLimits.plate)}
                {textField(`plateState${n}`, m.plateState, tipLimits.plateState)}
              </div>
              {textField(`vehicle${n}`, m.vehicleDescription, tipLimits.vehicleDescription, {
                hint: n === 1 ? m.vehicleDescriptionHint : undefined,
              })}
            </fieldset>
          ))}
        </fieldset>
        {textField('people', m.peopleLabel, tipLimits.people, {
          hint: m.peopleHint,
          multiline: true,
        })}
        {textField('narrative', m.narrativeLabel, tipLimits.narrative, {
          hint: m.narrativeHint,
          multiline: true,
        })}
        <fieldset>
          <legend>{m.contactLegend}</legend>
          {textField('contact', `${m.contactLabel} (${m.optional})`, tipLimits.contact, {
            hint: m.contactHint,
          })}
          <fieldset className="inline">
            <legend>{m.contactSafeLabel}</legend>
            {contactSafeAnswers.map((answer) => (
              <div className="choice" key={answer}>
                <input
                  type="radio"
                  id={`safe-${answer}`}
                  name="contactSafe"
                  value={answer}
                  defaultChecked={value('contactSafe') === answer}
                />
                <label htmlFor={`safe-${answer}`}>{m.contactSafe[answer]}</label>
              </div>
            ))}
          </fieldset>
        </fieldset>
        <button type="submit">{m.send}</button>
      </form>
      <script src={ctx.assets.script} defer />
    </section>
  );
}

/** After a tip is sent: the receipt and the secret, once. */
export function ThanksPage(props: { ctx: PageContext; receiptCode: string; secret: string }) {
  const { ctx } = props;
  const { m } = ctx;
  return (
    <Layout ctx={ctx} title={m.thanksTitle} path={`/p/${ctx.slug}`}>
      <h1>{m.thanksTitle}</h1>
      <p className="lead">{fill(m.thanks, { agency: ctx.agencyName })}</p>
      <dl className="receipt">
        <dt>{m.receiptLabel}</dt>
        <dd data-testid="receipt">{props.receiptCode}</dd>
        <dt>{m.secretLabel}</dt>
        <dd data-testid="secret">{props.secret}</dd>
      </dl>
      <p>{m.receiptKeep}</p>
      <p>
        <a href={`/p/${ctx.slug}/tips/follow-up?lang=${ctx.language}`}>{m.followUpLink}</a>
      </p>
      <p>
        <a href={`/p/${ctx.slug}?lang=${ctx.language}`}>{m.backToPage}</a>
      </p>
    </Layout>
  );
}

/** Where a sender checks on a tip: the receipt and the secret. */
export function FollowUpPage(props: { ctx: PageContext; receipt?: string; problem?: string }) {
  const { ctx } = props;
  const { m } = ctx;
  return (
    <Layout ctx={ctx} title={m.followUpTitle} path={`/p/${ctx.slug}/tips/follow-up`}>
      <h1>{m.followUpTitle}</h1>
      <p>{m.followUpIntro}</p>
      {props.problem ? (
        <div className="alert" role="alert">
          <p>{props.problem}</p>
        </div>
      ) : null}
      <form method="post" action={`/p/${ctx.slug}/tips/follow-up?lang=${ctx.language}`}>
        <div className="field">
          <label htmlFor="receipt">{m.receiptLabel}</label>
          <input
            id="receipt"
            name="receipt"
            type="text"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={40}
            defaultValue={props.receipt ?? ''}
            required
          />
        </div>
        <div className="field">
          <label htmlFor="secret">{m.secretLabel}</label>
          <input
            id="secret"
            name="secret"
            type="password"
            autoComplete="off"
            spellCheck={false}
            maxLength={60}
            required
          />
        </div>
        <button type="submit">{m.followUpShow}</button>
      </form>
      <p>
        <a href={`/p/${ctx.slug}?lang=${ctx.language}`}>{m.backToPage}</a>
      </p>
    </Layout>
  );
}

/** A tip's status for its sender, and a way to add to it. Nothing of what it says. */
export function StatusPage(props: {
  ctx: PageContext;
  receipt: string;
  secret: string;
  status: TipStatus;
  receivedAt: Date;
  added: boolean;
  problem?: string;
}) {
  const { ctx } = props;
  const { m } = ctx;
  return (
    <Layout ctx={ctx} title={m.followUpTitle} path={`/p/${ctx.slug}/tips/follow-up`}>
      <h1>{fill(m.statusTitle, { receipt: props.receipt })}</h1>
      {props.added ? (
        <div className="notice" role="status">
          <p>{m.added}</p>
        </div>
      ) : null}
      <p className="status">
        <strong data-testid="status">{m.statuses[props.status]}</strong>
      </p>
      <p>{fill(m.statusExplained[props.status], { agency: ctx.agencyName })}</p>
      <p className="small">
        {fill(m.receivedOn, { date: formatDate(props.receivedAt, ctx.language) })}
      </p>
      <h2>{m.addTitle}</h2>
      {props.problem ? (
        <div className="alert" role="alert">
          <p>{props.problem}</p>
        </div>
      ) : null}
      <form method="post" action={`/p/${ctx.slug}/tips/follow-up/add?lang=${ctx.language}`}>
        <input type="hidden" name="receipt" value={props.receipt} />
        <input type="hidden" name="secret" value={props.secret} />
        <div className="field">
          <label htmlFor="text">{m.addLabel}</label>
          <textarea id="text" name="text" rows={5} maxLength={tipLimits.addition} required />
        </div>
        <button type="submit">{m.addSend}</button>
      </form>
      <p>
        <a href={`/p/${ctx.slug}?lang=${ctx.language}`}>{m.backToPage}</a>
      </p>
    </Layout>
  );
}

/** A page that says what went wrong, in the visitor's language when it is known. */
export function ProblemPage(props: { ctx: PageContext; title: string; detail: string }) {
  const { ctx } = props;
  return (
    <Layout ctx={ctx} title={props.title} path={`/p/${ctx.slug}`}>
      <h1>{props.title}</h1>
      <p>{props.detail}</p>
      <p>
        <a href={`/p/${ctx.slug}?lang=${ctx.language}`}>{ctx.m.backToPage}</a>
      </p>
    </Layout>
  );
}
