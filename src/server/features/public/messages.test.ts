import { describe, expect, it } from 'vitest';
import { chooseLanguage, fill, publicMessages } from './messages.ts';

describe('the public pages’ language', () => {
  it.each([
    ['es', undefined, 'fr', 'es'],
    ['xx', 'fr', 'es', 'fr'],
    [undefined, undefined, 'de-DE, fr-CA;q=0.9, en;q=0.8', 'fr'],
    [undefined, undefined, 'es;q=0.2, en;q=0.9', 'en'],
    [undefined, undefined, 'pt-BR', 'en'],
    [undefined, undefined, undefined, 'en'],
  ])('asked %s, remembered %s, accepting %s: %s', (asked, remembered, accept, expected) => {
    expect(chooseLanguage(asked, remembered, accept)).toBe(expected);
  });

  it('says the same things in every language', () => {
    const keys = (value: unknown): string[] =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.entries(value).flatMap(([k, v]) => [k, ...keys(v).map((sub) => `${k}.${sub}`)])
        : [];
    expect(keys(publicMessages.es)).toEqual(keys(publicMessages.en));
    expect(keys(publicMessages.fr)).toEqual(keys(publicMessages.en));
    expect(publicMessages.fr.whatToDo).toHaveLength(publicMessages.en.whatToDo.length);
    expect(fill(publicMessages.es.vehicle, { n: 2 })).toBe('Vehículo 2');
  });
});
