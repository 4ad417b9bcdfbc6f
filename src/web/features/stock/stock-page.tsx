import { type FormEvent, useState } from 'react';
import type { Page } from '#shared/contracts/common.ts';
import type { Material, Shortfall, StockHolding } from '#shared/contracts/stock.ts';
import type { Person } from '#shared/contracts/users.ts';
import { api } from '../../lib/api.ts';
import { formatDate, formatNumber } from '../../lib/format.ts';
import { useAction } from '../../lib/use-action.ts';
import { useGet } from '../../lib/use-api.ts';
import { ActionOutcome, Alert } from '../../ui/alert.tsx';
import { describedBy, Field } from '../../ui/fields.tsx';
import { TableScroll } from '../../ui/table-scroll.tsx';

type Movement = 'received' | 'issued';

/** A delivery into the store, or an issue from the store to an officer. */
function MovementForm({
  type,
  materials,
  officers,
}: {
  type: Movement;
  materials: Material[];
  officers: Person[];
}) {
  const action = useAction();
  const [materialId, setMaterialId] = useState('');
  const [officerId, setOfficerId] = useState('');
  const [quantity, setQuantity] = useState('');
  const prefix = type === 'received' ? 'receive' : 'issue';
  const material = materialId || materials[0]?.id || '';
  const officer = officerId || officers[0]?.id || '';

  async function submit(event: FormEvent) {
    event.preventDefault();
    const name = materials.find((m) => m.id === material)?.name ?? 'material';
    const done = await action.run(
      () =>
        api('POST', '/api/stock/movements', {
          id: crypto.randomUUID(),
          materialId: material,
          type,
          quantity: Number(quantity),
          officerId: type === 'issued' ? officer : null,
        }),
      type === 'received'
        ? `${quantity} ${name} received into the store.`
        : `${quantity} ${name} issued to ${officers.find((o) => o.id === officer)?.displayName}.`,
    );
    if (done) setQuantity('');
  }

  const quantityError = action.errorFor('quantity');
  return (
    <form className="usa-form" onSubmit={(event) => void submit(event)}>
      <h2>{type === 'received' ? 'Receive a delivery' : 'Issue to an officer'}</h2>
      <ActionOutcome error={action.error} done={action.done} />
      <Field id={`${prefix}-material`} label="Material" error={action.errorFor('materialId')}>
        <select
          className="usa-select"
          id={`${prefix}-material`}
          value={material}
          onChange={(e) => setMaterialId(e.target.value)}
        >
          {materials.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name} ({m.language})
            </option>
          ))}
        </select>
      </Field>
      {type === 'issued' && (
        <Field id={`${prefix}-officer`} label="Officer" error={action.errorFor('officerId')}>
          <select
            className="usa-select"
            id={`${prefix}-officer`}
            value={officer}
            onChange={(e) => setOfficerId(e.target.value)}
          >
            {officers.map((o) => (
              <option key={o.id} value={o.id}>
                {o.displayName}
              </option>
            ))}
          </select>
        </Field>
      )}
      <Field id={`${prefix}-quantity`} label="Quantity" error={quantityError}>
        <input
          className={`usa-input ${quantityError ? 'usa-input--error' : ''}`}
          id={`${prefix}-quantity`}
          type="number"
          inputMode="numeric"
          min={1}
          required
          value={quantity}
          aria-describedby={describedBy(`${prefix}-quantity`, undefined, quantityError)}
          onChange={(e) => setQuantity(e.target.value)}
        />
      </Field>
      <button className="usa-button" type="submit" disabled={action.busy}>
        {type === 'received' ? 'Receive' : 'Issue'}
      </button>
    </form>
  );
}

/** Stock on hand by material and holder, deliveries, issues, and shortfalls to reconcile. */
export function StockPage() {
  const stock = useGet<Page<StockHolding>>('/api/stock');
  const materials = useGet<Page<Material>>('/api/materials');
  const people = useGet<{ items: Person[] }>('/api/people');
  const shortfalls = useGet<{ items: Shortfall[] }>('/api/stock/shortfalls');
  const resolve = useAction();
  const officers = (people.data?.items ?? []).filter(
    (p) => p.role === 'officer' || p.role === 'supervisor',
  );
  const nameOf = new Map((people.data?.items ?? []).map((p) => [p.id, p.displayName]));
  const materialOf = new Map((materials.data?.items ?? []).map((m) => [m.id, m]));
  const open = (shortfalls.data?.items ?? []).filter((s) => !s.resolvedAt);

  return (
    <>
      <h1>Stock</h1>
      <TableScroll label={'On hand'}>
        <table className="usa-table usa-table--compact usa-table--striped width-full">
          <caption>On hand, by material and holder</caption>
          <thead>
            <tr>
              <th scope="col">Material</th>
              <th scope="col">Held by</th>
              <th scope="col" className="text-right">
                On hand
              </th>
            </tr>
          </thead>
          <tbody>
            {(stock.data?.items ?? []).map((h) => (
              <tr key={`${h.materialId}-${h.holderId ?? 'store'}`}>
                <th scope="row">
                  {h.materialName} ({h.language})
                </th>
                <td>{h.holderId ? (h.holderName ?? h.holderId) : 'Agency store'}</td>
                <td
                  className="text-right"
                  data-testid={`on-hand-${h.materialId}-${h.holderId ?? 'store'}`}
                >
                  {formatNumber(h.onHand)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <div className="grid-row grid-gap">
        <div className="tablet:grid-col-6">
          <MovementForm
            type="received"
            materials={materials.data?.items ?? []}
            officers={officers}
          />
        </div>
        <div className="tablet:grid-col-6">
          <MovementForm type="issued" materials={materials.data?.items ?? []} officers={officers} />
        </div>
      </div>
      <h2>Shortfalls to reconcile</h2>
      <p>
        Material officers handed out beyond what they and the store held. Reconcile each once the
        count is put right (a late delivery logged, a miscount corrected).
      </p>
      {resolve.error && (
        <Alert type="error" role="alert">
          {resolve.error}
        </Alert>
      )}
      {open.length === 0 ? (
        <p>None open.</p>
      ) : (
        <TableScroll label={'Open shortfalls'}>
          <table className="usa-table usa-table--compact width-full">
            <caption className="usa-sr-only">Open shortfalls</caption>
            <thead>
              <tr>
                <th scope="col">Material</th>
                <th scope="col">Officer</th>
                <th scope="col" className="text-right">
                  Short by
                </th>
                <th scope="col">Since</th>
                <th scope="col">
                  <span className="usa-sr-only">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {open.map((s) => (
                <tr key={s.id}>
                  <th scope="row">{materialOf.get(s.materialId)?.name ?? s.materialId}</th>
                  <td>{s.officerId ? (nameOf.get(s.officerId) ?? s.officerId) : '—'}</td>
                  <td className="text-right">{s.quantity}</td>
                  <td>{formatDate(s.createdAt)}</td>
                  <td>
                    <button
                      className="usa-button usa-button--outline usa-button--small"
                      type="button"
                      disabled={resolve.busy}
                      onClick={() =>
                        void resolve.run(
                          () => api('POST', `/api/stock/shortfalls/${s.id}/resolve`),
                          'Reconciled.',
                        )
                      }
                    >
                      Reconciled
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}
