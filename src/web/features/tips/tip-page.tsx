import { type FormEvent, type ReactNode, useState } from 'react';
import { Link, useParams } from 'react-router';
import { actionsTaken, labelOf, redFlags } from '#shared/catalogues/field.ts';
import {
  type ReferralRecipient,
  referralRecipientLabels,
  referralRecipients,
  type Tip,
  type TipOutcome,
  type TipStatus,
  tipOutcomeLabels,
  tipOutcomes,
  tipStatuses,
  tipStatusLabels,
} from '#shared/contracts/tips.ts';
import { roleHasPermission } from '#shared/roles.ts';
import { paths } from '../../app/paths.ts';
import { api } from '../../lib/api.ts';
import { formatDateTime } from '../../lib/format.ts';
import { useMe } from '../../lib/session.tsx';
import { useAction } from '../../lib/use-action.ts';
import { useGet } from '../../lib/use-api.ts';
import { ActionOutcome, Alert } from '../../ui/alert.tsx';
import { describedBy, Field } from '../../ui/fields.tsx';
import { sourceLabels } from './tips-page.tsx';

const contactSafeLabels = { yes: 'Yes', no: 'No: do not contact', unsure: 'Not sure' };

/** One tip, opened (the server records the reading): what it says, and its triage. */
export function TipPage() {
  const { id = '' } = useParams();
  const tip = useGet<Tip>(`/api/tips/${id}`);
  if (tip.isError) {
    return (
      <Alert type="error" role="alert" heading="This tip could not be opened">
        {String(tip.error.message)}
      </Alert>
    );
  }
  if (!tip.data) return <p>Loading…</p>;
  return <TipView tip={tip.data} />;
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-bold margin-top-1">{label}</dt>
      <dd className="margin-left-0">{children}</dd>
    </>
  );
}

function TipView({ tip }: { tip: Tip }) {
  const me = useMe();
  const opensRecords = roleHasPermission(me.user.role, 'records:write');
  const c = tip.content;
  const title = tip.receiptCode ? `Tip ${tip.receiptCode}` : 'Flagged inspection';
  return (
    <>
      <p>
        <Link to={paths.tips}>All tips</Link>
      </p>
      <h1>{title}</h1>
      <p className="usa-intro">
        {sourceLabels[tip.source]}, received {formatDateTime(tip.receivedAt)}.{' '}
        <span className={`usa-tag tip-status tip-status--${tip.status}`}>
          {tipStatusLabels[tip.status]}
        </span>
        {tip.outcome && <> ({tipOutcomeLabels[tip.outcome]})</>}
      </p>
      {c?.contact && c.contactSafe !== 'yes' && (
        <Alert type="warning" heading="Do not contact the sender without care">
          The sender left a way to reach them but said it is
          {c.contactSafe === 'no' ? ' not safe' : ' perhaps not safe'} to use.
        </Alert>
      )}
      <div className="grid-row grid-gap">
        <section className="tablet:grid-col-7" aria-labelledby="what-was-seen">
          <h2 id="what-was-seen">What was seen</h2>
          <dl>
            <Row label="Red flags">
              {tip.redFlags.length === 0 ? (
                'None marked'
              ) : (
                <ul className="usa-list margin-0">
                  {tip.redFlags.map((code) => (
                    <li key={code}>{labelOf(redFlags, code)}</li>
                  ))}
                </ul>
              )}
            </Row>
            <Row label="When">
              {[tip.seenOn, tip.seenTime].filter(Boolean).join(' at ') || 'Not said'}
            </Row>
            <Row label="Where">
              {[tip.placeName, c?.whereText].filter(Boolean).join('. ') || 'Not said'}
              {c?.position && (
                <div>
                  Near {c.position.lat.toFixed(5)}, {c.position.lon.toFixed(5)} (the sender’s
                  position when sending)
                </div>
              )}
            </Row>
            {c?.vehicles.map((v, index) => (
              <Row key={`${v.plate}${v.description}`} label={`Vehicle ${index + 1}`}>
                {[
                  v.plate && `Plate ${v.plate}${v.plateState ? ` (${v.plateState})` : ''}`,
                  v.description,
                ]
                  .filter(Boolean)
                  .join('. ')}
              </Row>
            ))}
            {c?.people && <Row label="People">{c.people}</Row>}
            {c?.narrative && (
              <Row label="What happened">
                <p className="margin-0 tip-text">{c.narrative}</p>
              </Row>
            )}
            {c && (
              <Row label="Contact">
                {c.contact ? (
                  <>
                    {c.contact}
                    {c.contactSafe && <> · safe to contact: {contactSafeLabels[c.contactSafe]}</>}
                  </>
                ) : (
                  'Anonymous: no way to reach the sender'
                )}
              </Row>
            )}
            {tip.inspection && (
              <>
                <Row label="Inspection">
                  Logged by {tip.inspection.officerName ?? 'an officer'} at{' '}
                  {formatDateTime(tip.inspection.occurredAt)}
                  {tip.inspection.usdotNumber && <>, USDOT {tip.inspection.usdotNumber}</>}
                  {tip.inspection.reportNumber && <>, report {tip.inspection.reportNumber}</>}
                  {tip.inspection.deleted && ' (since deleted)'}.{' '}
                  {tip.inspectionId && opensRecords && (
                    <Link to={paths.editInspection(tip.inspectionId)}>Open the inspection</Link>
                  )}
                </Row>
                <Row label="Action taken">{tip.action && labelOf(actionsTaken, tip.action)}</Row>
                {tip.inspection.notes && (
                  <Row label="Officer’s notes">
                    <p className="margin-0 tip-text">{tip.inspection.notes}</p>
                  </Row>
                )}
              </>
            )}
          </dl>
          {tip.additions.length > 0 && (
            <>
              <h2>Added later by the sender</h2>
              <ul className="usa-list">
                {tip.additions.map((a) => (
                  <li key={a.id}>
                    <span className="text-base">{formatDateTime(a.addedAt)}:</span>{' '}
                    <span className="tip-text">{a.text}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
          <p>
            <a className="usa-link" href={`/api/tips/${tip.id}/referral.pdf`} download>
              The tip as a PDF for a referral
            </a>{' '}
            (without the sender’s contact details; the download is recorded).
          </p>
        </section>
        <section className="tablet:grid-col-5" aria-labelledby="triage">
          <h2 id="triage">Triage</h2>
          <TriageForm tip={tip} />
        </section>
      </div>
      <div className="grid-row grid-gap">
        <section className="tablet:grid-col-6" aria-labelledby="notes">
          <h2 id="notes">Internal notes</h2>
          {tip.notes.length === 0 ? (
            <p>No notes yet.</p>
          ) : (
            <ul className="usa-list">
              {tip.notes.map((n) => (
                <li key={n.id}>
                  <span className="text-base">
                    {n.authorName ?? 'Someone'}, {formatDateTime(n.createdAt)}:
                  </span>{' '}
                  <span className="tip-text">{n.text}</span>
                </li>
              ))}
            </ul>
          )}
          <NoteForm tipId={tip.id} />
        </section>
        <section className="tablet:grid-col-6" aria-labelledby="referrals">
          <h2 id="referrals">Referrals</h2>
          {tip.referrals.length === 0 ? (
            <p>Not referred yet.</p>
          ) : (
            <ul className="usa-list">
              {tip.referrals.map((r) => (
                <li key={r.id}>
                  {referralRecipientLabels[r.recipient]}: <strong>{r.recipientName}</strong>,{' '}
                  {formatDateTime(r.referredAt)} by {r.referredByName ?? 'someone'}. Shared:{' '}
                  <span className="tip-text">{r.shared}</span>
                </li>
              ))}
            </ul>
          )}
          {tip.status !== 'closed' && <ReferralForm tipId={tip.id} />}
        </section>
      </div>
    </>
  );
}

function TriageForm({ tip }: { tip: Tip }) {
  const action = useAction();
  const triagers =
    useGet<{ id: string; displayName: string; role: string }[]>('/api/tips/triagers');
  const [status, setStatus] = useState<TipStatus>(tip.status);
  const [outcome, setOutcome] = useState<TipOutcome | ''>(tip.outcome ?? '');
  const [assignedTo, setAssignedTo] = useState(tip.assignedTo ?? '');
  // A newer reading of the tip (a referral just recorded, a colleague's triage, this form's own
  // save) is what the form starts from again: it never sends back what it showed before.
  const [readVersion, setReadVersion] = useState(tip.version);
  if (tip.version !== readVersion) {
    setReadVersion(tip.version);
    setStatus(tip.status);
    setOutcome(tip.outcome ?? '');
    setAssignedTo(tip.assignedTo ?? '');
  }
  async function submit(event: FormEvent) {
    event.preventDefault();
    const closing = status === 'closed';
    const changes = {
      ...(status !== tip.status ? { status } : {}),
      ...((assignedTo || null) !== tip.assignedTo ? { assignedTo: assignedTo || null } : {}),
      // Closing says how it ended; a closed tip may say it anew.
      ...(closing && (status !== tip.status || (outcome || null) !== tip.outcome)
        ? { outcome: outcome || null }
        : {}),
    };
    if (Object.keys(changes).length === 0) {
      await action.run(async () => undefined, 'Nothing to save: nothing was changed.');
      return;
    }
    await action.run(
      () => api('PATCH', `/api/tips/${tip.id}`, { version: tip.version, ...changes }),
      'Saved.',
    );
  }
  const outcomeError = action.errorFor('outcome');
  return (
    <form className="usa-form" onSubmit={(event) => void submit(event)}>
      <ActionOutcome error={action.error} done={action.done} />
      <Field id="tip-state" label="Status" error={action.errorFor('status')}>
        <select
          className="usa-select"
          id="tip-state"
          value={status}
          onChange={(e) => setStatus(e.target.value as TipStatus)}
        >
          {tipStatuses.map((s) => (
            <option key={s} value={s}>
              {tipStatusLabels[s]}
            </option>
          ))}
        </select>
      </Field>
      {status === 'closed' && (
        <Field id="tip-outcome" label="How it ended" error={outcomeError}>
          <select
            className={`usa-select ${outcomeError ? 'usa-input--error' : ''}`}
            id="tip-outcome"
            value={outcome}
            aria-describedby={describedBy('tip-outcome', undefined, outcomeError)}
            onChange={(e) => setOutcome(e.target.value as TipOutcome)}
          >
            <option value="">Choose</option>
            {tipOutcomes.map((o) => (
              <option key={o} value={o}>
                {tipOutcomeLabels[o]}
              </option>
            ))}
          </select>
        </Field>
      )}
      <Field id="tip-assignee" label="Assigned to" error={action.errorFor('assignedTo')}>
        <select
          className="usa-select"
          id="tip-assignee"
          value={assignedTo}
          onChange={(e) => setAssignedTo(e.target.value)}
        >
          <option value="">No one</option>
          {(triagers.data ?? []).map((u) => (
            <option key={u.id} value={u.id}>
              {u.displayName} ({u.role})
            </option>
          ))}
        </select>
      </Field>
      <button className="usa-button" type="submit" disabled={action.busy}>
        Save
      </button>
    </form>
  );
}

function NoteForm({ tipId }: { tipId: string }) {
  const action = useAction();
  const [text, setText] = useState('');
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (await action.run(() => api('POST', `/api/tips/${tipId}/notes`, { text }), 'Note added.')) {
      setText('');
    }
  }
  const error = action.errorFor('text');
  return (
    <form className="usa-form" onSubmit={(event) => void submit(event)}>
      <ActionOutcome error={action.error} done={action.done} />
      <Field id="note-text" label="Add a note (only those who triage tips read it)" error={error}>
        <textarea
          className="usa-textarea"
          id="note-text"
          value={text}
          maxLength={5000}
          required
          aria-describedby={describedBy('note-text', undefined, error)}
          onChange={(e) => setText(e.target.value)}
        />
      </Field>
      <button className="usa-button usa-button--outline" type="submit" disabled={action.busy}>
        Add the note
      </button>
    </form>
  );
}

function ReferralForm({ tipId }: { tipId: string }) {
  const action = useAction();
  const [recipient, setRecipient] = useState<ReferralRecipient>('hotline');
  const [recipientName, setRecipientName] = useState('National Human Trafficking Hotline');
  const [shared, setShared] = useState('');
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (
      await action.run(
        () => api('POST', `/api/tips/${tipId}/referrals`, { recipient, recipientName, shared }),
        'Referral recorded: the tip is now referred.',
      )
    ) {
      setShared('');
    }
  }
  return (
    <form className="usa-form" onSubmit={(event) => void submit(event)}>
      <ActionOutcome error={action.error} done={action.done} />
      <p>
        Record a referral you made (by phone, e-mail or in person): Milepost itself sends nothing to
        anyone.
      </p>
      <Field id="referral-recipient" label="Referred to" error={action.errorFor('recipient')}>
        <select
          className="usa-select"
          id="referral-recipient"
          value={recipient}
          onChange={(e) => setRecipient(e.target.value as ReferralRecipient)}
        >
          {referralRecipients.map((r) => (
            <option key={r} value={r}>
              {referralRecipientLabels[r]}
            </option>
          ))}
        </select>
      </Field>
      <Field id="referral-name" label="Who received it" error={action.errorFor('recipientName')}>
        <input
          className="usa-input"
          id="referral-name"
          value={recipientName}
          maxLength={200}
          required
          onChange={(e) => setRecipientName(e.target.value)}
        />
      </Field>
      <Field
        id="referral-shared"
        label="What was shared"
        hint="For example: the red flags, the place and time, the vehicle; not the sender’s number."
        error={action.errorFor('shared')}
      >
        <textarea
          className="usa-textarea"
          id="referral-shared"
          value={shared}
          maxLength={2000}
          required
          aria-describedby={describedBy('referral-shared', 'hint', action.errorFor('shared'))}
          onChange={(e) => setShared(e.target.value)}
        />
      </Field>
      <button className="usa-button" type="submit" disabled={action.busy}>
        Record the referral
      </button>
    </form>
  );
}
