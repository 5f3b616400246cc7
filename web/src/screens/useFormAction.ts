import { useMutation } from '@tanstack/react-query';

/**
 * A form's action that is not one fixed API call (a sign-in step, a reset): run through react-query
 * like every other write, so `isPending` is the busy flag and `error` the last failure, cleared when
 * the next attempt starts or on `reset()`.
 */
export function useFormAction() {
  return useMutation({ mutationFn: (task: () => Promise<unknown>) => task() });
}
