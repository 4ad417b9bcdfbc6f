import type { ReactNode } from 'react';

/** A USWDS alert: info, success, warning or error, with an optional heading. */
export function Alert({
  type,
  heading,
  children,
  role,
}: {
  type: 'info' | 'success' | 'warning' | 'error';
  heading?: string;
  children?: ReactNode;
  role?: 'alert' | 'status';
}) {
  return (
    <div className={`usa-alert usa-alert--${type} usa-alert--slim`} role={role}>
      <div className="usa-alert__body">
        {heading && <h2 className="usa-alert__heading">{heading}</h2>}
        {children && <div className="usa-alert__text">{children}</div>}
      </div>
    </div>
  );
}
