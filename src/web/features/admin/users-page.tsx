import { type FormEvent, useState } from 'react';
import type { Page } from '#shared/contracts/common.ts';
import type { User } from '#shared/contracts/users.ts';
import { type Role, roleGrants, roleLabels, roleReadsTips, roles } from '#shared/roles.ts';
import { api } from '../../lib/api.ts';
import { useMe } from '../../lib/session.tsx';
import { useAction } from '../../lib/use-action.ts';
import { useGet } from '../../lib/use-api.ts';
import { ActionOutcome, Alert } from '../../ui/alert.tsx';
import { describedBy, Field } from '../../ui/fields.tsx';
import { TableScroll } from '../../ui/table-scroll.tsx';

/** A role as the People screen names it: those that read tips say so. */
const roleName = (role: Role) =>
  roleReadsTips(role) ? `${roleLabels[role]} (reads tips)` : roleLabels[role];

/** Who reads the agency's tips, said where the roles that read them are given. */
function WhoReadsTips() {
  const readers = roles.filter(roleReadsTips).map((r) => `${roleLabels[r].toLowerCase()}s`);
  return (
    <Alert type="info" heading="Who can read tips">
      <p>
        The agency's {readers.join(' and ')} read every tip the public sends it, with whatever the
        sender wrote, contact details included. Nobody else reads them: not officers, analysts or
        administrators, and not a platform administrator.
      </p>
      <p>
        But whoever gives someone one of these roles decides who reads them: adding a person with
        it, changing a person's role to it, or reactivating a person who holds it is a grant of tip
        access, recorded in the agency's audit log under your name, with whom you gave it to. An
        agency administrator, or a platform administrator, could give it to an account of their own;
        the audit log would show that too.
      </p>
    </Alert>
  );
}

function NewUserForm({ grantable }: { grantable: readonly Role[] }) {
  const action = useAction();
  const [form, setForm] = useState({ email: '', displayName: '', role: 'officer', password: '' });
  const error = (field: string) => action.errorFor(field);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const created = await action.run(
      () => api('POST', '/api/users', form),
      `${form.displayName} can now sign in as ${form.email}.`,
    );
    if (created) setForm({ email: '', displayName: '', role: 'officer', password: '' });
  }

  const input = (id: 'email' | 'displayName' | 'password', label: string, type: string) => (
    <Field id={`new-${id}`} label={label} error={error(id)}>
      <input
        className={`usa-input ${error(id) ? 'usa-input--error' : ''}`}
        id={`new-${id}`}
        type={type}
        required
        autoComplete={id === 'password' ? 'new-password' : 'off'}
        value={form[id]}
        aria-describedby={describedBy(`new-${id}`, undefined, error(id))}
        onChange={(e) => setForm({ ...form, [id]: e.target.value })}
      />
    </Field>
  );

  return (
    <form className="usa-form" onSubmit={(event) => void submit(event)}>
      <h2>Add a person</h2>
      <ActionOutcome error={action.error} done={action.done} />
      {input('email', 'Email', 'email')}
      {input('displayName', 'Name as shown', 'text')}
      <Field id="new-role" label="Role" error={error('role')}>
        <select
          className="usa-select"
          id="new-role"
          value={form.role}
          onChange={(e) => setForm({ ...form, role: e.target.value })}
        >
          {grantable.map((r) => (
            <option key={r} value={r}>
              {roleName(r)}
            </option>
          ))}
        </select>
      </Field>
      {input('password', 'First password (12 characters or more)', 'password')}
      <button className="usa-button" type="submit" disabled={action.busy}>
        Add
      </button>
    </form>
  );
}

/** The agency's people: add one, change a role, deactivate or reactivate. */
export function UsersPage() {
  const me = useMe();
  const users = useGet<Page<User>>('/api/users?limit=200');
  // An agency administrator gives the agency's roles; a platform administrator any.
  const grantable = roles.filter((r) => roleGrants(me.user.role, r));
  const manages = (user: User) => user.id !== me.user.id && roleGrants(me.user.role, user.role);
  const action = useAction();
  const change = (user: User, changes: { role?: Role; active?: boolean }, done: string) =>
    void action.run(
      () => api('PATCH', `/api/users/${user.id}`, { version: user.version, ...changes }),
      done,
    );

  return (
    <>
      <h1>People</h1>
      <WhoReadsTips />
      <ActionOutcome error={action.error} done={action.done} />
      <TableScroll label={'People of the agency'}>
        <table className="usa-table usa-table--compact usa-table--striped width-full">
          <caption className="usa-sr-only">People of the agency</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {(users.data?.items ?? []).map((u) => (
              <tr key={u.id}>
                <th scope="row">{u.displayName}</th>
                <td>{u.email}</td>
                <td>
                  {manages(u) ? (
                    <>
                      <label className="usa-sr-only" htmlFor={`role-${u.id}`}>
                        Role of {u.displayName}
                      </label>
                      <select
                        className="usa-select margin-top-0"
                        id={`role-${u.id}`}
                        value={u.role}
                        disabled={action.busy}
                        onChange={(e) =>
                          change(
                            u,
                            { role: e.target.value as Role },
                            `${u.displayName} is now ${roleName(e.target.value as Role)}.`,
                          )
                        }
                      >
                        {grantable.map((r) => (
                          <option key={r} value={r}>
                            {roleName(r)}
                          </option>
                        ))}
                      </select>
                    </>
                  ) : (
                    <>
                      {roleName(u.role)}
                      {u.id !== me.user.id && (
                        <span className="display-block text-base">
                          managed by a platform administrator
                        </span>
                      )}
                    </>
                  )}
                </td>
                <td>
                  {u.active ? 'Active' : 'Deactivated'}{' '}
                  {manages(u) && (
                    <button
                      className="usa-button usa-button--unstyled"
                      type="button"
                      disabled={action.busy}
                      onClick={() =>
                        change(
                          u,
                          { active: !u.active },
                          `${u.displayName} ${u.active ? 'can no longer sign in' : roleReadsTips(u.role) ? 'can sign in and read tips again' : 'can sign in again'}.`,
                        )
                      }
                    >
                      {u.active ? `Deactivate ${u.displayName}` : `Reactivate ${u.displayName}`}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <NewUserForm grantable={grantable} />
    </>
  );
}
