import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '#db/client.ts';
import { agencies, tips, users } from '#db/schema.ts';
import { createCoordinatorInitiative } from '#server/features/coordination/coordination.service.ts';
import { submitPublicTip } from '#server/features/tips/tips.service.ts';
import { createSecrets } from '#server/secrets.ts';
import { milepost } from './processes.ts';
import { createTestDatabase, type TestDatabase, testEngine } from './test-database.ts';
import { unzip } from './zip.ts';

/**
 * The `milepost` command against the engine under test: a data folder of its own on PGlite,
 * a database of its own on the server.
 */
let env: Record<string, string | undefined>;
let database: TestDatabase | undefined;
let tmp: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'milepost-cli-'));
  if (testEngine() === 'postgres') {
    database = await createTestDatabase();
    env = { DATABASE_URL: database.url };
  } else {
    env = { MILEPOST_DATA_DIR: tmp };
  }
});
afterAll(async () => {
  await database?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function runCli(args: string[], stdin?: string) {
  return runCliWith(args, {}, stdin);
}

async function runCliWith(args: string[], extra: Record<string, string>, stdin?: string) {
  const p = milepost(args, { ...env, ...extra });
  p.child.stdin?.end(stdin ?? '');
  const { code } = await p.exited;
  return { code, output: p.output() };
}

describe('milepost', () => {
  it('migrate, demo twice, then user create with the password on standard input', async () => {
    expect(await runCli(['migrate'])).toMatchObject({
      code: 0,
      output: expect.stringContaining('Migrated'),
    });
    const demo = await runCli(['demo']);
    expect(demo.code).toBe(0);
    expect(demo.output).toContain('user officer@demo.milepost.test');
    expect(await runCli(['demo'])).toMatchObject({
      code: 0,
      output: expect.stringContaining('nothing changed'),
    });

    const created = await runCli(
      [
        'user',
        'create',
        '--email',
        'New.Officer@Demo.Milepost.Test',
        '--name',
        'Officer New',
        '--role',
        'officer',
        '--agency',
        'demo',
        '--password-stdin',
      ],
      'lilac-harbor-compass-52\n',
    );
    expect(created.output).toMatch(/Created officer new\.officer@demo\.milepost\.test/);
    expect(created.code).toBe(0);
  }, 120_000);

  it.each([
    [['--role', 'sheriff'], '--role'],
    [['--agency', 'no-such-agency'], '--agency: no agency with the slug no-such-agency'],
    [['--email', 'not-an-email'], '--email'],
  ])('user create refuses %j naming %s', async (change, message) => {
    const options: Record<string, string> = {
      '--email': 'someone@example.test',
      '--name': 'Some One',
      '--role': 'analyst',
      '--agency': 'demo',
    };
    for (let i = 0; i < change.length; i += 2) options[change[i] ?? ''] = change[i + 1] ?? '';
    const args = ['user', 'create', ...Object.entries(options).flat(), '--password-stdin'];
    const result = await runCli(args, 'lilac-harbor-compass-52');
    expect(result.code).toBe(1);
    expect(result.output).toContain(message);
  });

  it('user create refuses a weak password', async () => {
    const result = await runCli(
      [
        'user',
        'create',
        '--email',
        'weak@example.test',
        '--name',
        'Weak',
        '--role',
        'analyst',
        '--agency',
        'demo',
        '--password-stdin',
      ],
      'password123',
    );
    expect(result.code).toBe(1);
    expect(result.output).toContain('password: must be at least 12 characters');
  });
});

describe('milepost import and export', () => {
  it('imports a state file, then exports the inspections it added', async () => {
    const file = path.join(tmp, 'state.csv');
    fs.writeFileSync(
      file,
      'Report_Number,Report_State,DOT_Number,Insp_Date,Insp_Start_Time,Insp_level_ID,VIN\n' +
        'MOCLI0001,MO,123456,20250301,0815,3,1XKAD49X0CJ123456\n' +
        'MOCLI0002,MO,654321,20250301,1015,2,1FUJGLDR5CLBP1234\n',
    );
    const imported = await runCli(['import', 'inspections', file, '--agency', 'demo']);
    expect(imported.output).toContain('Read 2 rows (fmcsa): 2 added');
    expect(imported.output).toContain('Ignored columns: vin.');
    expect(imported.code).toBe(0);

    const out = path.join(tmp, 'export.csv');
    const exported = await runCli([
      'export',
      'inspections',
      '--agency',
      'demo',
      '--from',
      '2025-03-01',
      '--to',
      '2025-03-01',
      '--out',
      out,
    ]);
    expect(exported.code).toBe(0);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.slice(1).every((line) => line.includes('state_import'))).toBe(true);
  }, 60_000);

  it('refuses a bad date, naming the flag', async () => {
    const result = await runCli(['export', 'inspections', '--from', '2025-13-01']);
    expect(result.code).toBe(1);
    expect(result.output).toContain('--from:');
  });
});

describe('milepost stats', () => {
  it('check reports the seed release’s slip and names the fiscal year the figure belongs to', async () => {
    const check = await runCli([
      'stats',
      'check',
      '--series',
      'bjs.federal.referred',
      '--period',
      'FY2022',
      '--value',
      '2027',
      '--change-from',
      'FY2011',
      '--stated-change',
      '49',
    ]);
    expect(check.code, check.output).toBe(2);
    expect(check.output).toContain('differs: 2,027 is not the figure for fiscal year 2022');
    expect(check.output).toContain('2,027 is the figure for fiscal year 2021');
    expect(check.output).toContain('is +49.0%; the stated 49% agrees');
    const right = await runCli([
      'stats',
      'check',
      '--series',
      'bjs.federal.referred',
      '--period',
      'FY2021',
      '--value',
      '2,027',
    ]);
    expect(right).toMatchObject({ code: 0, output: expect.stringContaining('matches') });
  });

  it('imports a CSV as a platform administrator only, and refuses a bad flag by name', async () => {
    const file = path.join(tmp, 'figures.csv');
    fs.writeFileSync(
      file,
      'series_key,period,value,source_organisation,publication,subject,geography,unit\ncli.test.signals,2021,12,Hotline,Report,Signals,Missouri,signals\n',
    );
    const asSupervisor = await runCli(['stats', 'import', file]);
    expect(asSupervisor.code).toBe(1);
    expect(asSupervisor.output).toContain('curated by platform administrators');
    const asAnalyst = await runCli(['stats', 'import', file, '--as', 'analyst@demo.milepost.test']);
    expect(asAnalyst.code).toBe(1);
    const curator = await runCli(
      [
        'user',
        'create',
        '--email',
        'curator@example.test',
        '--name',
        'Figures Curator',
        '--role',
        'admin',
        '--agency',
        'demo',
        '--password-stdin',
      ],
      'walnut-sierra-beacon-71',
    );
    expect(curator.code, curator.output).toBe(0);
    const asCurator = await runCli(['stats', 'import', file, '--as', 'curator@example.test']);
    expect(asCurator.output).toContain('1 series added, 1 figure added');
    const bad = await runCli([
      'stats',
      'check',
      '--series',
      'x',
      '--period',
      'soon',
      '--value',
      '1',
    ]);
    expect(bad.code).toBe(1);
    expect(bad.output).toContain('--period: must be a year');
  }, 120_000); // five commands, each a process of its own
});

describe('milepost report', () => {
  const initiative = '6d696c65-706f-4374-8000-000000000001'; // the demo's

  it('writes the after-action report and the news release of the demo initiative', async () => {
    for (const format of ['pdf', 'zip', 'md']) {
      const out = path.join(tmp, `report.${format}`);
      const run = await runCli([
        'report',
        initiative,
        '--format',
        format,
        '--out',
        out,
        '--statistics',
        'bjs.federal.referred@FY2021',
      ]);
      expect(run.code, run.output).toBe(0);
      expect(fs.statSync(out).size).toBeGreaterThan(500);
    }
    expect(fs.readFileSync(path.join(tmp, 'report.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    expect(fs.readFileSync(path.join(tmp, 'report.md'), 'utf8')).toContain(
      '2,027 persons were referred to U.S. attorneys',
    );
  });

  it('refuses an unknown format or initiative, and leaves no file behind', async () => {
    const out = path.join(tmp, 'none.pdf');
    const format = await runCli(['report', initiative, '--format', 'xls', '--out', out]);
    expect(format.output).toContain('--format: must be pdf, zip, json, docx, md');
    const unknown = await runCli([
      'report',
      '6d696c65-706f-4374-8000-00000000ffff',
      '--format',
      'pdf',
      '--out',
      out,
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.output).toContain('No initiative with id');
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(tmp).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('writes a coordinator initiative’s report, and refuses it a news release', async () => {
    const id = '6d696c65-706f-4374-8000-00000000c001';
    // Published by the demo's coordinator, as the web app would.
    const handle =
      database ?? (await openDatabase({ engine: 'pglite', dataDir: tmp, command: 'the test' }));
    try {
      const [coordinator] = await handle.db
        .select()
        .from(users)
        .where(eq(users.email, 'coordinator@demo.milepost.test'));
      if (!coordinator) throw new Error('no demo coordinator');
      await createCoordinatorInitiative(
        handle.db,
        {
          actor: {
            userId: coordinator.id,
            agencyId: coordinator.agencyId,
            role: 'coordinator',
            sessionId: 'test',
          },
          ip: null,
          userAgent: 'test',
          requestId: 'test',
        },
        {
          id,
          name: 'Human Trafficking Awareness Initiative',
          description: '',
          windows: [{ country: 'US', startsOn: '2027-01-11', endsOn: '2027-01-15' }],
        },
      );
    } finally {
      if (handle !== database) await handle.close();
    }
    const out = path.join(tmp, 'coordinator.zip');
    const run = await runCli(['report', id, '--format', 'zip', '--out', out]);
    expect(run.code, run.output).toBe(0);
    expect([...unzip(fs.readFileSync(out)).keys()]).toEqual([
      'report.json',
      'submissions.csv',
      'accounts.csv',
    ]);
    const release = await runCli(['report', id, '--format', 'md', '--out', `${out}.md`]);
    expect(release.code).toBe(1);
    expect(release.output).toContain('--format: a news release is written for an agency’s');
    expect(fs.existsSync(`${out}.md`)).toBe(false);
  });
});

describe('milepost keys and purge', () => {
  it('generates a key, and purges nothing on a dry run', async () => {
    const generated = await runCli(['keys', 'generate']);
    expect(generated.code).toBe(0);
    expect(Buffer.from(generated.output.trim(), 'base64')).toHaveLength(32);
    const dry = await runCli(['purge', '--dry-run']);
    expect(dry.code, dry.output).toBe(0);
    expect(dry.output).toContain('closed tips would be purged; nothing was deleted.');
  });

  it('seals every tip anew under the first key of MILEPOST_SECRET_KEY', async () => {
    const [oldKey, newKey] = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)];
    const handle =
      database ?? (await openDatabase({ engine: 'pglite', dataDir: tmp, command: 'the test' }));
    let tipId: string;
    try {
      const [agency] = await handle.db.select().from(agencies).limit(1);
      if (!agency) throw new Error('no agency');
      const receipt = await submitPublicTip(
        handle.db,
        createSecrets([oldKey]),
        agency,
        {
          redFlags: [],
          placeId: null,
          seenOn: null,
          seenTime: null,
          language: 'en',
          content: {
            whereText: '',
            position: null,
            vehicles: [],
            people: '',
            narrative: 'sealed-under-the-old-key',
            contact: '',
            contactSafe: null,
          },
        },
        'test',
      );
      const [tip] = await handle.db
        .select({ id: tips.id })
        .from(tips)
        .where(eq(tips.receiptCode, receipt.receiptCode.replaceAll('-', '')));
      tipId = tip?.id ?? '';
    } finally {
      if (handle !== database) await handle.close();
    }
    const keys = {
      MILEPOST_SECRET_KEY: `${newKey.toString('base64')},${oldKey.toString('base64')}`,
    };
    const rotated = await runCliWith(['keys', 'rotate'], keys);
    expect(rotated.code, rotated.output).toBe(0);
    expect(rotated.output).toMatch(/Sealed [1-9]\d* values? anew/);
    const after =
      database ?? (await openDatabase({ engine: 'pglite', dataDir: tmp, command: 'the test' }));
    try {
      const [row] = await after.db.select().from(tips).where(eq(tips.id, tipId));
      expect(createSecrets([newKey]).open(row?.content ?? '', `tip:${tipId}:content`)).toContain(
        'sealed-under-the-old-key',
      );
    } finally {
      if (after !== database) await after.close();
    }
    const alone = await runCliWith(['keys', 'rotate'], {
      MILEPOST_SECRET_KEY: newKey.toString('base64'),
    });
    expect(alone.code).toBe(1);
    expect(alone.output).toContain('MILEPOST_SECRET_KEY: put the new key first');
  });
});
