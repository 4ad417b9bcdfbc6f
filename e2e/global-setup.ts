import { buildWebIfStale } from '../scripts/build-web.ts';

/** The browser tests drive the built app, as `npm start` serves it. */
export default function setup(): void {
  buildWebIfStale();
}
