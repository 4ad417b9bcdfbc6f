import type { ReactNode } from 'react';

/**
 * A wide table that scrolls sideways on a phone instead of widening the page. The region takes
 * the keyboard focus so that it can be scrolled without a mouse (WCAG 2.1.1).
 */
export function TableScroll({ label, children }: { label: string; children: ReactNode }) {
  return (
    <section
      className="usa-table-container--scrollable table-scroll"
      aria-label={label}
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
      tabIndex={0}
    >
      {children}
    </section>
  );
}
