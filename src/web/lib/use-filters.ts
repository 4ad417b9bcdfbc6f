import { useSearchParams } from 'react-router';

/**
 * A list's filters, kept in the address (so a filtered list can be bookmarked and shared), and a
 * setter that changes one of them, an empty value removing it. The setter works from the address
 * as it is when it runs, not as the last render saw it: two quick changes keep both.
 */
export function useFilters(): [URLSearchParams, (key: string, value: string) => void] {
  const [params, setParams] = useSearchParams();
  const set = (key: string, value: string) =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  return [params, set];
}
