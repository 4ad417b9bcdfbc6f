import { z } from 'zod';

/** What the web app needs to know of the server's configuration. */
export const appConfigSchema = z
  .object({
    map: z.object({
      /** Leaflet's tile URL template, such as `https://tile.openstreetmap.org/{z}/{x}/{y}.png`. */
      tileUrl: z.string(),
      attribution: z.string(),
    }),
  })
  .meta({ id: 'AppConfig' });

export type AppConfig = z.infer<typeof appConfigSchema>;
