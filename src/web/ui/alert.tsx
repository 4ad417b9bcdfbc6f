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

/** What a supervisor's action came to: its refusal, or what it did. */
export function ActionOutcome({ error, done }: { error: string | null; done: string | null }) {
  return (
    <>
      {error && (
        <Alert type="error" role="alert">
          {error}
        </Alert>
      )}
      {done && (
        <Alert type="success" role="status">
          {done}
        </Alert>
      )}
    </>
  );
}
