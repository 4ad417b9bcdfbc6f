import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * The field app: built into dist/web and served by Milepost itself at /app/, so that the app,
 * its API and its service worker share one origin. `npm run dev:web` serves it with hot reload
 * and sends /api to a Milepost on port 8080.
 */
export default defineConfig({
  root: 'src/web',
  base: '/app/',
  publicDir: 'public',
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 600,
  },
  plugins: [
    react(),
    VitePWA({
      registerType: 'autoUpdate',
      // Registered by main.tsx, from a file: the Content-Security-Policy allows no inline script.
      injectRegister: false,
      scope: '/app/',
      manifest: {
        name: 'Milepost',
        short_name: 'Milepost',
        description: 'Log roadside inspections and outreach, offline if need be.',
        start_url: '/app/',
        scope: '/app/',
        display: 'standalone',
        background_color: '#ffffff',
        theme_color: '#1a4480',
        icons: [
          { src: '/app/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/app/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/app/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // The shell; the screens use the phone's own fonts, and USWDS's images load on demand.
        globPatterns: ['**/*.{js,css,html,svg,png}'],
        navigateFallback: '/app/index.html',
        navigateFallbackAllowlist: [/^\/app\//],
        // The API is never answered from a cache: entries go through the outbox instead.
        navigateFallbackDenylist: [/^\/api\//],
        cleanupOutdatedCaches: true,
        // The first visit is already offline-ready: no second load needed to be controlled.
        clientsClaim: true,
        skipWaiting: true,
      },
    }),
  ],
  css: {
    preprocessorOptions: {
      // USWDS's Sass packages, for src/web/uswds.scss.
      scss: { loadPaths: ['node_modules/@uswds/uswds/packages'], quietDeps: true },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
