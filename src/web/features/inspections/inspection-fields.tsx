import { actionsTaken, inspectionLevels, redFlags } from '#shared/catalogues/field.ts';
import { Checkbox, Disclosure, Fieldset, Radio } from '../../ui/fields.tsx';

/** What an inspection says beyond when and where, as logged and as changed afterwards. */
export interface InspectionDetails {
  level: string;
  outreachGiven: boolean;
  redFlags: string[];
  action: string;
}

export function LevelAndOutreachFields({
  value,
  onChange,
}: {
  value: InspectionDetails;
  onChange: (changes: Partial<InspectionDetails>) => void;
}) {
  return (
    <>
      <label className="usa-label" htmlFor="level">
        Inspection level
      </label>
      <select
        className="usa-select"
        id="level"
        name="level"
        value={value.level}
        onChange={(e) => onChange({ level: e.target.value })}
      >
        {inspectionLevels.map((level) => (
          <option key={level.code} value={level.code}>
            {level.label}
          </option>
        ))}
      </select>
      <Fieldset legend="Outreach given">
        <Radio
          id="outreach-yes"
          name="outreachGiven"
          label="Yes"
          checked={value.outreachGiven}
          onChange={() => onChange({ outreachGiven: true })}
        />
        <Radio
          id="outreach-no"
          name="outreachGiven"
          label="No"
          checked={!value.outreachGiven}
          onChange={() => onChange({ outreachGiven: false })}
        />
      </Fieldset>
    </>
  );
}

/** Red flags as a collapsible checklist, then the action taken. */
export function RedFlagsAndActionFields({
  value,
  onChange,
}: {
  value: InspectionDetails;
  onChange: (changes: Partial<InspectionDetails>) => void;
}) {
  return (
    <>
      <Disclosure
        title={`Red flags${value.redFlags.length ? ` (${value.redFlags.length})` : ''}`}
        initiallyOpen={value.redFlags.length > 0}
      >
        <Fieldset legend="Red flags seen" hideLegend>
          {redFlags.map((flag) => (
            <Checkbox
              key={flag.code}
              id={`flag-${flag.code}`}
              label={flag.label}
              checked={value.redFlags.includes(flag.code)}
              onChange={(checked) =>
                onChange({
                  redFlags: checked
                    ? [...value.redFlags, flag.code]
                    : value.redFlags.filter((c) => c !== flag.code),
                })
              }
            />
          ))}
        </Fieldset>
      </Disclosure>
      <label className="usa-label" htmlFor="action">
        Action taken
      </label>
      <select
        className="usa-select"
        id="action"
        name="action"
        value={value.action}
        onChange={(e) => onChange({ action: e.target.value })}
      >
        {actionsTaken.map((action) => (
          <option key={action.code} value={action.code}>
            {action.label}
          </option>
        ))}
      </select>
    </>
  );
}
