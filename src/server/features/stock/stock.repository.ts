import { and, asc, desc, eq, inArray, isNull, param, type SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '#db/client.ts';
import { preparedStatement } from '#db/prepared.ts';
import {
  type FieldRecordKind,
  type FieldRecordRef,
  fieldRecords,
  materials,
  stockBalances,
  stockLedger,
  stockMovements,
  stockShortfalls,
  users,
} from '#db/schema.ts';

export type MaterialRow = typeof materials.$inferSelect;
export type MovementRow = typeof stockMovements.$inferSelect;
export type LedgerInsert = typeof stockLedger.$inferInsert;
export type ShortfallRow = typeof stockShortfalls.$inferSelect;

export function findMaterials(db: Executor, ids: string[]): Promise<MaterialRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.select().from(materials).where(inArray(materials.id, ids));
}

export async function findMaterial(db: Executor, id: string): Promise<MaterialRow | undefined> {
  const [row] = await db.select().from(materials).where(eq(materials.id, id));
  return row;
}

export async function insertMaterial(
  db: Executor,
  row: typeof materials.$inferInsert,
): Promise<MaterialRow> {
  const [created] = await db.insert(materials).values(row).returning();
  if (!created) throw new Error('insert into materials returned no row');
  return created;
}

export function listMaterialRows(db: Executor, agencyId: string): Promise<MaterialRow[]> {
  return db
    .select()
    .from(materials)
    .where(and(eq(materials.agencyId, agencyId), isNull(materials.deletedAt)))
    .orderBy(asc(materials.kind), asc(materials.language), asc(materials.name));
}

/**
 * Stock on hand of one material with one holder (null: the agency store), with the holding's row
 * locked until the transaction ends, so that no concurrent movement spends it twice. Lock an
 * officer's holding before the store's, always, so two transactions never wait crosswise.
 */
export async function lockHolding(
  db: Executor,
  materialId: string,
  holderId: string | null,
): Promise<number> {
  const [row] = await db
    .select({ onHand: stockBalances.onHand })
    .from(stockBalances)
    .where(
      and(
        eq(stockBalances.materialId, materialId),
        holderId === null ? isNull(stockBalances.holderId) : eq(stockBalances.holderId, holderId),
      ),
    )
    .for('update');
  return row?.onHand ?? 0;
}

/**
 * A record's hand-out, as steps of one statement that has a step `wanted` (material_id,
 * quantity) before them: each line is taken from the officer's holding, then from the store's
 * for what the officer lacks when `drawOnStore` holds (or when there is no officer, whose lines
 * the store alone serves), up to what each has; every take moves its balance and appends a
 * `handed_out` ledger entry; what neither had is accepted (an officer at the roadside is never
 * blocked) and noted in `stock_shortfalls` for a supervisor, and in the step `short`
 * (material_id, quantity). The holdings are locked in the order every movement takes them (see
 * lockHolding): the officer's in material order, then the store's, and the store's only for
 * what the officer lacks, so that officers with stock of their own never wait on each other.
 */
export function handOutSteps(handOut: {
  agencyId: SQL;
  officerId: SQL;
  recordId: SQL;
  occurredAt: SQL;
  drawOnStore: SQL;
}): SQL {
  const { agencyId, officerId, recordId, occurredAt } = handOut;
  return sql`
    officer_held as (
      select b.material_id, b.on_hand from stock_balances b
      where b.holder_id = ${officerId} and b.material_id in (select material_id from wanted)
      order by b.material_id
      for update of b
    ),
    lacking as (
      select w.material_id, w.quantity, least(coalesce(o.on_hand, 0), w.quantity) as from_officer
      from wanted w left join officer_held o on o.material_id = w.material_id
    ),
    store_held as (
      -- NOTE: the array is read whole, so every officer's holding is locked before the first of
      -- the store's.
      select b.material_id, b.on_hand from stock_balances b
      where b.holder_id is null and (${officerId} is null or ${handOut.drawOnStore})
        and b.material_id = any(array(select material_id from lacking
          where from_officer < quantity))
      order by b.material_id
      for update of b
    ),
    split as (
      select l.material_id, l.quantity, l.from_officer,
        least(coalesce(s.on_hand, 0), l.quantity - l.from_officer) as from_store
      from lacking l left join store_held s on s.material_id = l.material_id
    ),
    taken as (
      select material_id, ${officerId} as holder_id, from_officer as quantity
      from split where from_officer > 0
      union all
      select material_id, null::uuid, from_store from split where from_store > 0
    ),
    moved as (
      update stock_balances b set on_hand = b.on_hand - taken.quantity from taken
      where b.material_id = taken.material_id and b.holder_id is not distinct from taken.holder_id
    ),
    posted as (
      insert into stock_ledger (agency_id, material_id, holder_id, delta, type, record_id,
        occurred_at)
      select ${agencyId}, material_id, holder_id, -quantity, 'handed_out', ${recordId},
        ${occurredAt}
      from taken
    ),
    short as (
      insert into stock_shortfalls (agency_id, material_id, officer_id, record_id, quantity)
      select ${agencyId}, material_id, ${officerId}, ${recordId},
        quantity - from_officer - from_store
      from split where quantity > from_officer + from_store
      returning material_id, quantity
    )`;
}

/** What the step `short` of handOutSteps noted, as JSON lines in material order. */
export const shortfallLinesJson = sql`(select coalesce(jsonb_agg(jsonb_build_object(
  'materialId', material_id, 'quantity', quantity) order by material_id), '[]'::jsonb)
  from short)`;

const handOutStatement = preparedStatement<{
  shortfalls: { materialId: string; quantity: number }[];
}>(
  'milepost_hand_out',
  sql`with wanted as (
      select * from unnest(${sql.placeholder('materialIds')}::uuid[],
        ${sql.placeholder('quantities')}::int[]) as w(material_id, quantity)
    ),
    ${handOutSteps({
      agencyId: sql`${sql.placeholder('agencyId')}::uuid`,
      officerId: sql`${sql.placeholder('officerId')}::uuid`,
      recordId: sql`${sql.placeholder('recordId')}::uuid`,
      occurredAt: sql`${sql.placeholder('occurredAt')}::timestamptz`,
      drawOnStore: sql`(select a.stock_draw_on_store from agencies a
        where a.id = ${sql.placeholder('agencyId')}::uuid)`,
    })}
    select ${shortfallLinesJson} as shortfalls`,
);

/** Hands out a record's material in one statement (handOutSteps); answers the shortfalls. */
export async function handOut(
  db: Executor,
  record: {
    agencyId: string;
    officerId: string | null;
    recordId: string;
    occurredAt: Date;
    lines: { materialId: string; quantity: number }[];
  },
): Promise<{ materialId: string; quantity: number }[]> {
  if (record.lines.length === 0) return [];
  const [row] = await handOutStatement(db, {
    agencyId: record.agencyId,
    officerId: record.officerId,
    recordId: record.recordId,
    occurredAt: record.occurredAt.toISOString(),
    materialIds: record.lines.map((line) => line.materialId),
    quantities: record.lines.map((line) => line.quantity),
  });
  return row?.shortfalls ?? [];
}

/**
 * Appends ledger entries and moves the balances they change, in the caller's transaction.
 * `balancesMoved`: the caller has already moved the balances (see takeFromHolding).
 */
export async function insertLedgerEntries(
  db: Executor,
  rows: LedgerInsert[],
  balancesMoved = false,
): Promise<void> {
  const nonZero = rows.filter((r) => r.delta !== 0);
  if (nonZero.length === 0) return;
  await db.insert(stockLedger).values(nonZero);
  if (balancesMoved) return;
  const byHolding = new Map<
    string,
    { agencyId: string; materialId: string; holderId: string | null; onHand: number }
  >();
  for (const row of nonZero) {
    const key = `${row.materialId}|${row.holderId ?? ''}`;
    const holding = byHolding.get(key) ?? {
      agencyId: row.agencyId,
      materialId: row.materialId,
      holderId: row.holderId ?? null,
      onHand: 0,
    };
    holding.onHand += row.delta;
    byHolding.set(key, holding);
  }
  // NOTE: PostgreSQL checks `on_hand >= 0` on the row an INSERT ... ON CONFLICT would insert
  // before it finds the conflict, so a withdrawal is an UPDATE; only a deposit may insert.
  for (const holding of byHolding.values()) {
    if (holding.onHand >= 0) {
      await db
        .insert(stockBalances)
        .values(holding)
        .onConflictDoUpdate({
          target: [stockBalances.materialId, stockBalances.holderId],
          set: { onHand: sql`${stockBalances.onHand} + excluded.on_hand` },
        });
      continue;
    }
    const updated = await db
      .update(stockBalances)
      .set({ onHand: sql`${stockBalances.onHand} + ${holding.onHand}` })
      .where(
        and(
          eq(stockBalances.materialId, holding.materialId),
          holding.holderId === null
            ? isNull(stockBalances.holderId)
            : eq(stockBalances.holderId, holding.holderId),
        ),
      )
      .returning({ onHand: stockBalances.onHand });
    if (updated.length === 0) throw new Error('withdrawal from a holding that has no stock');
  }
}

export async function listHoldingRows(
  db: Executor,
  agencyId: string,
  filter: { holderId?: string | undefined; materialId?: string | undefined },
) {
  return db
    .select({
      materialId: stockBalances.materialId,
      materialName: materials.name,
      kind: materials.kind,
      language: materials.language,
      holderId: stockBalances.holderId,
      holderName: users.displayName,
      onHand: stockBalances.onHand,
    })
    .from(stockBalances)
    .innerJoin(materials, eq(materials.id, stockBalances.materialId))
    .leftJoin(users, eq(users.id, stockBalances.holderId))
    .where(
      and(
        eq(stockBalances.agencyId, agencyId),
        filter.holderId ? eq(stockBalances.holderId, filter.holderId) : undefined,
        filter.materialId ? eq(stockBalances.materialId, filter.materialId) : undefined,
      ),
    )
    .orderBy(
      asc(materials.kind),
      asc(materials.language),
      asc(materials.name),
      asc(users.displayName),
    );
}

/** Holdings whose balance differs from the sum of their ledger entries (none, if all is well). */
export async function balancesOutOfStep(db: Executor, agencyId: string) {
  const result = await db.execute<{
    material_id: string;
    holder_id: string | null;
    balance: number;
    ledger: number;
  }>(sql`
    with ledger as (
      select material_id, holder_id, sum(delta)::int as total from stock_ledger
      where agency_id = ${agencyId} group by material_id, holder_id
    )
    select coalesce(b.material_id, l.material_id) as material_id,
      coalesce(b.holder_id, l.holder_id) as holder_id,
      coalesce(b.on_hand, 0) as balance, coalesce(l.total, 0) as ledger
    from (select * from stock_balances where agency_id = ${agencyId}) b
    full join ledger l on l.material_id = b.material_id and l.holder_id is not distinct from b.holder_id
    where coalesce(b.on_hand, 0) <> coalesce(l.total, 0)`);
  return result.rows;
}

export async function findMovement(db: Executor, id: string): Promise<MovementRow | undefined> {
  const [row] = await db.select().from(stockMovements).where(eq(stockMovements.id, id));
  return row;
}

export async function insertMovement(
  db: Executor,
  row: typeof stockMovements.$inferInsert,
): Promise<MovementRow> {
  const [created] = await db.insert(stockMovements).values(row).returning();
  if (!created) throw new Error('insert into stock_movements returned no row');
  return created;
}

/**
 * Movements newest first, after the movement `beforeId` if given. The position is read from the
 * row itself: a timestamp sent back and forth as text loses its microseconds and would skip rows.
 */
export function listMovementRows(
  db: Executor,
  agencyId: string,
  {
    officerId,
    beforeId,
    limit,
  }: { officerId?: string | undefined; beforeId?: string | undefined; limit: number },
) {
  return db
    .select()
    .from(stockMovements)
    .where(
      and(
        eq(stockMovements.agencyId, agencyId),
        officerId ? eq(stockMovements.officerId, officerId) : undefined,
        beforeId
          ? sql`(${stockMovements.createdAt}, ${stockMovements.id}) <
              (select created_at, id from stock_movements where id = ${beforeId})`
          : undefined,
      ),
    )
    .orderBy(desc(stockMovements.createdAt), desc(stockMovements.id))
    .limit(limit);
}

/**
 * Whether the registry of record ids holds `recordId` for the agency and kind: every query that
 * reads or reverses a record's lines or stock names the record whole (id, agency, kind), so that
 * an id can reach no other agency's lines or stock, nor another kind's.
 */
export function isRecordOf(
  recordId: PgColumn,
  record: { agencyId: string | PgColumn; kind: FieldRecordKind },
): SQL {
  return sql`exists (select 1 from ${fieldRecords} f where f.id = ${recordId}
    and f.agency_id = ${record.agencyId} and f.kind = ${record.kind})`;
}

/**
 * What a record's entries amount to, per material and holder: what reversing them undoes. Only
 * the record's agency's entries, and only while the registry holds the id for it and its kind.
 */
export async function netOfRecord(db: Executor, record: FieldRecordRef) {
  const rows = await db
    .select({
      materialId: stockLedger.materialId,
      holderId: stockLedger.holderId,
      net: sql<number>`sum(${stockLedger.delta})::int`,
    })
    .from(stockLedger)
    .where(
      and(
        eq(stockLedger.recordId, record.id),
        eq(stockLedger.agencyId, record.agencyId),
        isRecordOf(stockLedger.recordId, record),
      ),
    )
    .groupBy(stockLedger.materialId, stockLedger.holderId);
  return rows.map((r) => ({ ...r, net: Number(r.net) }));
}

export async function voidShortfallsOfRecord(db: Executor, record: FieldRecordRef): Promise<void> {
  await db
    .update(stockShortfalls)
    .set({ voidedAt: sql`now()` })
    .where(
      and(
        eq(stockShortfalls.recordId, record.id),
        eq(stockShortfalls.agencyId, record.agencyId),
        isNull(stockShortfalls.voidedAt),
        isRecordOf(stockShortfalls.recordId, record),
      ),
    );
}

/** Open shortfalls of records of one kind, each record's scoped to its own agency. */
export function openShortfallsOfRecords(
  db: Executor,
  kind: FieldRecordKind,
  records: { id: string; agencyId: string }[],
): Promise<ShortfallRow[]> {
  if (records.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(stockShortfalls)
    .where(
      and(
        sql`(${stockShortfalls.recordId}, ${stockShortfalls.agencyId}) in (
          select * from unnest(${param(records.map((r) => r.id))}::uuid[],
            ${param(records.map((r) => r.agencyId))}::uuid[]))`,
        isNull(stockShortfalls.voidedAt),
        isRecordOf(stockShortfalls.recordId, { agencyId: stockShortfalls.agencyId, kind }),
      ),
    )
    .orderBy(asc(stockShortfalls.id));
}

export function listOpenShortfalls(db: Executor, agencyId: string): Promise<ShortfallRow[]> {
  return db
    .select()
    .from(stockShortfalls)
    .where(
      and(
        eq(stockShortfalls.agencyId, agencyId),
        isNull(stockShortfalls.voidedAt),
        isNull(stockShortfalls.resolvedAt),
      ),
    )
    .orderBy(asc(stockShortfalls.id));
}

export async function resolveShortfallRow(
  db: Executor,
  agencyId: string,
  id: bigint,
  userId: string,
) {
  const [row] = await db
    .update(stockShortfalls)
    .set({ resolvedAt: sql`now()`, resolvedBy: userId })
    .where(
      and(
        eq(stockShortfalls.id, id),
        eq(stockShortfalls.agencyId, agencyId),
        isNull(stockShortfalls.voidedAt),
        isNull(stockShortfalls.resolvedAt),
      ),
    )
    .returning();
  return row;
}
