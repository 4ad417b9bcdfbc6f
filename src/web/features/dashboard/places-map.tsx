import 'leaflet/dist/leaflet.css';
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import type { AppConfig } from '#shared/contracts/app-config.ts';
import type { Place } from '#shared/contracts/places.ts';

export interface MapPlace {
  place: Place;
  target: boolean;
  visited: boolean;
}

/** Marker colours: reached targets, targets still to visit, other places where work was done. */
const colours = { done: '#00a91c', todo: '#d83933', other: '#005ea2' } as const;
const statusOf = (p: MapPlace) => (p.target ? (p.visited ? 'done' : 'todo') : 'other');

/**
 * The initiative's places on a map. Markers are drawn as vectors, so they show even when the
 * tiles cannot load (no signal, a blocked tile server); the list beside it says the same.
 */
export function PlacesMap({ places, config }: { places: MapPlace[]; config: AppConfig['map'] }) {
  const element = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!element.current || places.length === 0) return;
    const map = L.map(element.current, { scrollWheelZoom: false });
    L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 18 }).addTo(map);
    const bounds = L.latLngBounds([]);
    for (const p of places) {
      const at = L.latLng(p.place.position.lat, p.place.position.lon);
      bounds.extend(at);
      const status = statusOf(p);
      L.circleMarker(at, {
        radius: 8,
        color: '#1b1b1b',
        weight: 1,
        fillColor: colours[status],
        fillOpacity: 0.9,
      })
        .bindTooltip(
          `${p.place.name}: ${status === 'done' ? 'target, visited' : status === 'todo' ? 'target, not yet visited' : 'visited'}`,
        )
        .addTo(map);
    }
    map.fitBounds(bounds.pad(0.1));
    return () => {
      map.remove();
    };
  }, [places, config]);

  const count = (status: keyof typeof colours) =>
    places.filter((p) => statusOf(p) === status).length;
  return (
    <figure className="places-map margin-x-0">
      <section
        ref={element}
        className="places-map__map"
        data-testid="places-map"
        aria-label="Map of the initiative’s places (the table below lists them too)"
      />
      <figcaption>
        <ul className="places-map__legend">
          <li>
            <span className="places-map__dot places-map__dot--done" /> Targets visited:{' '}
            {count('done')}
          </li>
          <li>
            <span className="places-map__dot places-map__dot--todo" /> Targets not yet visited:{' '}
            <span data-testid="targets-todo">{count('todo')}</span>
          </li>
          <li>
            <span className="places-map__dot places-map__dot--other" /> Other places worked:{' '}
            {count('other')}
          </li>
        </ul>
      </figcaption>
    </figure>
  );
}
