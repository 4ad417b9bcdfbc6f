import { type ReactNode, useState } from 'react';
import { NavLink } from 'react-router';
import { roleHasPermission } from '#shared/roles.ts';
import { SyncStatus } from '../features/sync/sync-status.tsx';
import { useMe, useSession } from '../lib/session.tsx';
import { paths } from './paths.ts';

/** The frame of every signed-in screen: title, navigation by role, sync status, content. */
export function Shell({ children }: { children: ReactNode }) {
  const me = useMe();
  const { signOut, state } = useSession();
  const [open, setOpen] = useState(false);
  const close = () => setOpen(false);
  // What each role sees follows the permission table; the API enforces it either way.
  const role = me.user.role;
  const logs = roleHasPermission(role, 'records:write');
  const watchesSquad = role !== 'officer' && roleHasPermission(role, 'summary:read');
  const readsRecords = roleHasPermission(role, 'records:read');
  const keepsStock = roleHasPermission(role, 'stock:write');
  const plans = roleHasPermission(role, 'initiatives:write');
  const administers = roleHasPermission(role, 'users:write');
  const coordinates = roleHasPermission(role, 'coordination:read');
  const triages = roleHasPermission(role, 'tips:read');
  const link = (to: string, label: string, end = false) => (
    <li className="usa-nav__primary-item">
      <NavLink to={to} className="usa-nav-link" onClick={close} end={end}>
        <span>{label}</span>
      </NavLink>
    </li>
  );
  return (
    <>
      <a className="usa-skipnav" href="#main">
        Skip to main content
      </a>
      <div className={`usa-overlay ${open ? 'is-visible' : ''}`} />
      <header className="usa-header usa-header--basic">
        <div className="usa-nav-container">
          <div className="usa-navbar">
            <div className="usa-logo">
              <em className="usa-logo__text">Milepost</em>
            </div>
            <button type="button" className="usa-menu-btn" onClick={() => setOpen(true)}>
              Menu
            </button>
          </div>
          <nav aria-label="Primary" className={`usa-nav ${open ? 'is-visible' : ''}`}>
            <button type="button" className="usa-nav__close" onClick={close}>
              <span className="usa-sr-only">Close the menu</span>
              <span aria-hidden="true">×</span>
            </button>
            <ul className="usa-nav__primary usa-accordion">
              {watchesSquad && link(paths.dashboard, 'Dashboard')}
              {plans && link(paths.initiatives, 'Initiatives')}
              {triages && link(paths.tips, 'Tips')}
              {readsRecords && link(paths.records, role === 'officer' ? 'My entries' : 'Records')}
              {coordinates && link(paths.coordination, 'Coordination')}
              {keepsStock && link(paths.stock, 'Stock')}
              {administers && link(paths.people, 'People')}
              {administers && link(paths.agency, 'Agency settings')}
              {logs && link(paths.today, 'Today', true)}
              {logs && link(paths.logInspection, 'Log inspection')}
              {logs && link(paths.logVisit, 'Log visit')}
              {logs && link(paths.logActivity, 'Log activity')}
              {logs && link(paths.outbox, 'Waiting to send')}
              <li className="usa-nav__primary-item">
                <button
                  type="button"
                  className="usa-nav-link usa-button--unstyled sign-out"
                  onClick={() => void signOut()}
                >
                  <span>Sign out</span>
                </button>
              </li>
            </ul>
          </nav>
        </div>
      </header>
      <SyncStatus />
      <main id="main" tabIndex={-1}>
        <div className="grid-container padding-bottom-4">
          <p className="signed-in-as">
            {me.user.displayName}, {me.agency.name}
            {state.status === 'signed-in' && state.offline ? ' (offline)' : ''}
          </p>
          {children}
        </div>
      </main>
    </>
  );
}
