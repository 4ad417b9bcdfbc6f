import { Readable } from 'node:stream';
import archiver from 'archiver';
import type { CoordinatorResults } from '#shared/contracts/coordination.ts';
import { csvStream } from '../../records/csv.ts';
import { resultsCsv } from '../coordination/coordination.service.ts';

type AgencyResult = CoordinatorResults['agencies'][number];

/**
 * The CSV bundle of a coordinator initiative: the results (JSON), the submitted counts in the
 * published results' columns with the total (submissions.csv), and each participating agency's
 * status and account (accounts.csv). Counts and accounts only: a coordinator never receives an
 * agency's records.
 */
export function coordinatorReportBundle(results: CoordinatorResults): Readable {
  const zip = archiver('zip', { zlib: { level: 6 } });
  zip.append(JSON.stringify(results, null, 2), { name: 'report.json' });
  zip.append(resultsCsv(results), { name: 'submissions.csv' });
  zip.append(
    csvStream<AgencyResult>(
      [
        { header: 'agency', value: (a) => a.agencyName },
        { header: 'jurisdiction', value: (a) => a.jurisdiction },
        { header: 'status', value: (a) => a.status },
        { header: 'submitted_at', value: (a) => a.submittedAt },
        { header: 'revision', value: (a) => a.revision },
        { header: 'account', value: (a) => a.narrative },
      ],
      Readable.from(results.agencies),
    ),
    { name: 'accounts.csv' },
  );
  void zip.finalize();
  return zip;
}
