import { useQuery } from '@tanstack/react-query';
import { get } from './api.ts';

/** A GET of the API, cached per path and refreshed in the background. */
export function useGet<T>(path: string | null, options: { refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: [path],
    queryFn: () => get<T>(path as string),
    enabled: path !== null,
    ...options,
  });
}
