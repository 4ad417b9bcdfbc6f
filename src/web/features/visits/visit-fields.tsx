import { Checkbox, Fieldset } from '../../ui/fields.tsx';
import { Stepper } from '../entries/entry-fields.tsx';

/** What a truck-stop visit says beyond when, where and the material left. */
export interface VisitDetails {
  reached: { drivers: number; staff: number; public: number };
  postersPutUp: number;
  managerEngaged: boolean;
  followUpOn: string | null;
}

export function VisitFields({
  value,
  onChange,
}: {
  value: VisitDetails;
  onChange: (changes: Partial<VisitDetails>) => void;
}) {
  const reach = (who: keyof VisitDetails['reached'], count: number) =>
    onChange({ reached: { ...value.reached, [who]: count } });
  return (
    <>
      <Fieldset legend="People reached">
        <Stepper
          id="reached-drivers"
          label="Drivers"
          value={value.reached.drivers}
          onChange={(n) => reach('drivers', n)}
        />
        <Stepper
          id="reached-staff"
          label="Staff"
          value={value.reached.staff}
          onChange={(n) => reach('staff', n)}
        />
        <Stepper
          id="reached-public"
          label="Members of the public"
          value={value.reached.public}
          onChange={(n) => reach('public', n)}
        />
      </Fieldset>
      <Stepper
        id="posters-put-up"
        label="Posters put up"
        value={value.postersPutUp}
        onChange={(postersPutUp) => onChange({ postersPutUp })}
      />
      <Fieldset legend="Management" hideLegend>
        <Checkbox
          id="manager-engaged"
          label="Spoke with the manager"
          checked={value.managerEngaged}
          onChange={(managerEngaged) => onChange({ managerEngaged })}
        />
      </Fieldset>
      <label className="usa-label" htmlFor="followUpOn">
        Follow up on (optional)
      </label>
      <input
        className="usa-input"
        id="followUpOn"
        type="date"
        value={value.followUpOn ?? ''}
        onChange={(e) => onChange({ followUpOn: e.target.value || null })}
      />
    </>
  );
}
