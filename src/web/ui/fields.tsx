import { type ReactNode, useId, useState } from 'react';

/** A labelled field; `error` is tied to the control with aria-describedby by the caller's id. */
export function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string | undefined;
  children: ReactNode;
}) {
  return (
    <div className={`usa-form-group ${error ? 'usa-form-group--error' : ''}`}>
      <label className={`usa-label ${error ? 'usa-label--error' : ''}`} htmlFor={id}>
        {label}
      </label>
      {hint && (
        <div className="usa-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
      {error && (
        <span className="usa-error-message" id={`${id}-error`} role="alert">
          {error}
        </span>
      )}
      {children}
    </div>
  );
}

/** aria-describedby for a control inside Field. */
export const describedBy = (id: string, hint?: string, error?: string) =>
  [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

/** A group of radios or checkboxes with its legend. */
export function Fieldset({
  legend,
  children,
  hideLegend = false,
}: {
  legend: string;
  children: ReactNode;
  hideLegend?: boolean;
}) {
  return (
    <fieldset className="usa-fieldset margin-top-3">
      <legend className={hideLegend ? 'usa-sr-only' : 'usa-legend'}>{legend}</legend>
      {children}
    </fieldset>
  );
}

export function Radio({
  id,
  name,
  label,
  description,
  checked,
  onChange,
  tile = false,
}: {
  id: string;
  name: string;
  label: string;
  description?: string | undefined;
  checked: boolean;
  onChange: () => void;
  tile?: boolean;
}) {
  return (
    <div className="usa-radio">
      <input
        className={`usa-radio__input ${tile ? 'usa-radio__input--tile' : ''}`}
        id={id}
        type="radio"
        name={name}
        checked={checked}
        onChange={onChange}
      />
      <label className="usa-radio__label" htmlFor={id}>
        {label}
        {description && <span className="usa-checkbox__label-description">{description}</span>}
      </label>
    </div>
  );
}

export function Checkbox({
  id,
  label,
  checked,
  onChange,
}: {
  id: string;
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <div className="usa-checkbox">
      <input
        className="usa-checkbox__input"
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
      />
      <label className="usa-checkbox__label" htmlFor={id}>
        {label}
      </label>
    </div>
  );
}

/** A USWDS accordion of one section, opened and closed by its heading's button. */
export function Disclosure({
  title,
  initiallyOpen = false,
  children,
}: {
  title: string;
  initiallyOpen?: boolean;
  children: ReactNode;
}) {
  const [open, setOpen] = useState(initiallyOpen);
  const contentId = useId();
  return (
    <div className="usa-accordion usa-accordion--bordered margin-top-3">
      <h2 className="usa-accordion__heading">
        <button
          type="button"
          className="usa-accordion__button"
          aria-expanded={open}
          aria-controls={contentId}
          onClick={() => setOpen(!open)}
        >
          {title}
        </button>
      </h2>
      <div id={contentId} className="usa-accordion__content" hidden={!open}>
        {children}
      </div>
    </div>
  );
}
