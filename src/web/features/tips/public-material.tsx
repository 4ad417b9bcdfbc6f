import { useMe } from '../../lib/session.tsx';

const languages = [
  { code: 'en', name: 'English' },
  { code: 'es', name: 'Español' },
  { code: 'fr', name: 'Français' },
] as const;

/**
 * Where the public reaches the agency (the page a wallet card's QR code opens, with the tip
 * form) and the printable flyer and window card that point there, in each language.
 */
export function PublicMaterial() {
  const { agency } = useMe();
  const page = `/p/${agency.slug}`;
  return (
    <section className="margin-top-4" aria-labelledby="public-material">
      <h2 id="public-material">The public page and printed material</h2>
      <p>
        The public reads how to get help and sends tips at{' '}
        <a href={page} target="_blank" rel="noopener">
          {window.location.origin}
          {page}
        </a>
        . The flyer and window card carry its QR code and the numbers of Agency settings.
      </p>
      <ul className="usa-list">
        {languages.map(({ code, name }) => (
          <li key={code} lang={code}>
            {name}: <a href={`${page}/flyer.pdf?lang=${code}`}>flyer (PDF)</a>,{' '}
            <a href={`${page}/window-card.pdf?lang=${code}`}>window card (PDF)</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
