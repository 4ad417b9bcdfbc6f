import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FieldError } from '#shared/contracts/problem.ts';
import { ApiError, OfflineError } from './api.ts';

/**
 * A supervisor's action sent straight to the API (not through the outbox: a delivery or an
 * issue is checked against stock at once). Keeps the refusal, with its fields, for the form,
 * and refreshes every query afterwards.
 */
export function useAction() {
  const queryClient = useQueryClient();
  const [state, setState] = useState<{
    busy: boolean;
    error: string | null;
    fields: FieldError[];
    done: string | null;
  }>({ busy: false, error: null, fields: [], done: null });

  async function run(work: () => Promise<unknown>, done: string): Promise<boolean> {
    setState({ busy: true, error: null, fields: [], done: null });
    try {
      await work();
      setState({ busy: false, error: null, fields: [], done });
      await queryClient.invalidateQueries();
      return true;
    } catch (error) {
      setState({
        busy: false,
        done: null,
        error:
          error instanceof OfflineError
            ? 'No network: try again when you have signal.'
            : error instanceof Error
              ? error.message
              : String(error),
        fields: error instanceof ApiError ? error.fieldErrors : [],
      });
      return false;
    }
  }
  const errorFor = (field: string) => state.fields.find((f) => f.field === field)?.message;
  return { ...state, run, errorFor };
}
