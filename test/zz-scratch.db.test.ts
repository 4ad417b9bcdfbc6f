import { it } from 'vitest';
import { buildApp } from '#server/app.ts';
import { loadConfig } from '#server/config.ts';
import { createTestDatabase } from './test-database.ts';
import { testSecrets } from './test-secrets.ts';
import { newAgency, newUser } from './factories.ts';
it('repro', async () => {
  const database = await createTestDatabase();
  const lines: string[] = [];
  const app = await buildApp({ database, config: loadConfig({}), secrets: testSecrets, logger: { stream: { write: (l: string) => { lines.push(l); } } } });
  const agency = await newAgency(database.db);
  const sup = await newUser(database.db, agency.id, { role: 'supervisor' });
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: sup.email, password: 'tangerine-hollow-ferry-41' } });
  const cookie = String(login.headers['set-cookie']).split(';')[0];
  for (const payload of ["name,Report_Number,reportNumber,subject,sentence,text\nQ#?G7{p_, ,../../../../etc/passwd\n>_,0000-01-01T00:00:00Z", "kind,name,lat,lon\ntruck_stop,A\u0000B,39,-94\n", "kind,name,lat,lon\ntruck_stop,A\ud800B,39,-94\n"]) {
    const res = await app.inject({ method: 'POST', url: '/api/imports/places?format=csv&skipInvalid=true', headers: { cookie, 'content-type': 'text/csv' }, payload });
    console.log(res.statusCode, res.body.slice(0, 300));
  }
  console.log(lines.filter((l) => l.includes('"level":50') || l.includes('"level":40')).join('\n').slice(0, 3000));
  await app.close(); await database.close();
}, 120000);
