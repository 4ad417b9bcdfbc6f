import {
  Button,
  GridContainer,
  Header,
  NavMenuButton,
  PrimaryNav,
  Title,
} from '@trussworks/react-uswds';
import { type ReactNode, useState } from 'react';
import { NavLink } from 'react-router';
import { SyncStatus } from '../features/sync/sync-status.tsx';
import { useMe, useSession } from '../lib/session.tsx';
import { paths } from './paths.ts';

/** The frame of every signed-in screen: title, navigation by role, sync status, content. */
export function Shell({ children }: { children: ReactNode }) {
  const me = useMe();
  const { signOut, state } = useSession();
  const [expanded, setExpanded] = useState(false);
  const close = () => setExpanded(false);
  const links = [
    <NavLink key="today" to={paths.today} className="usa-nav-link" onClick={close} end>
      Today
    </NavLink>,
    <NavLink key="log" to={paths.logInspection} className="usa-nav-link" onClick={close}>
      Log inspection
    </NavLink>,
    <NavLink key="outbox" to={paths.outbox} className="usa-nav-link" onClick={close}>
      Waiting to send
    </NavLink>,
    <Button
      key="out"
      type="button"
      unstyled
      className="usa-nav-link"
      onClick={() => void signOut()}
    >
      Sign out
    </Button>,
  ];
  return (
    <>
      <a className="usa-skipnav" href="#main">
        Skip to main content
      </a>
      <Header basic>
        <div className="usa-nav-container">
          <div className="usa-navbar">
            <Title>Milepost</Title>
            <NavMenuButton onClick={() => setExpanded((v) => !v)} label="Menu" />
          </div>
          <PrimaryNav items={links} mobileExpanded={expanded} onToggleMobileNav={close} />
        </div>
      </Header>
      <SyncStatus />
      <main id="main" tabIndex={-1}>
        <GridContainer className="padding-bottom-4">
          <p className="signed-in-as">
            {me.user.displayName}, {me.agency.name}
            {state.status === 'signed-in' && state.offline ? ' (offline)' : ''}
          </p>
          {children}
        </GridContainer>
      </main>
    </>
  );
}
