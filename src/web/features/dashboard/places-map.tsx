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
const statusWords = {
  done: 'target, visited',
  todo: 'target, not yet visited',
  other: 'visited',
} as const;

/**
 * What a marker's tooltip says, as text. NOTE: Leaflet takes a string tooltip or attribution
 * as HTML; a place's name comes from anyone's import (an OpenStreetMap name such as
 * `<img src=x onerror=…>` would become an element), so it goes in as a text node.
 */
export function tooltipOf(p: MapPlace): HTMLElement {
  const text = document.createElement('span');
  text.textContent = `${p.place.name}: ${statusWords[statusOf(p)]}`;
  return text;
}

/** The map's credit line, escaped: Leaflet writes an attribution into the page as HTML. */
export function escapedAttribution(attribution: string): string {
  const holder = document.createElement('span');
  holder.textContent = attribution;
  return holder.innerHTML;
}

/**
 * The initiative's places on a map. Markers are drawn as vectors, so they show even when the
 * tiles cannot load (no signal, a blocked tile server); the list beside it says the same.
 */
export function PlacesMap({ places, config }: { places: MapPlace[]; config: AppConfig['map'] }) {
  const element = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!element.current || places.length === 0) return;
    const map = L.map(element.current, { scrollWheelZoom: false });
    L.tileLayer(config.tileUrl, {
      attribution: escapedAttribution(config.attribution),
      maxZoom: 18,
    }).addTo(map);
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
        .bindTooltip(tooltipOf(p))
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
