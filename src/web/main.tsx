import './uswds.scss';
import './styles.css';
import { registerSW } from 'virtual:pwa-register';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app.tsx';

const root = document.getElementById('root');
if (!root) throw new Error('no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
// The service worker keeps the app's shell for offline starts; updates apply on next start.
// Registered once the page has loaded, so that its downloads do not slow the first screen.
if (document.readyState === 'complete') registerSW({ immediate: true });
else window.addEventListener('load', () => registerSW({ immediate: true }), { once: true });
